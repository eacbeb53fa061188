"""Command line: `debatebot index|search|docs|remove|ask|argue|rebut|check|quote|check-draft|summary|eval|serve`.

Every command takes `--json` for scripts. Errors from the error tree become one readable message
and exit code 2; nothing else prints a traceback unless DEBATEBOT_DEBUG=1."""

from __future__ import annotations

import argparse
import os
import sys

from debatebot.core.config import configure
from debatebot.core.errors import DebatebotError
from debatebot.interfaces.cli import answers as cli_answers
from debatebot.interfaces.cli.common import library, print_json, progress_bar


# ---- foundation commands -------------------------------------------------------------------------
def cmd_index(args) -> int:
    lib = library(args)
    cb, close = progress_bar(not args.json)
    try:
        report = lib.index(args.paths or None, progress=cb, rebuild=args.rebuild)
    finally:
        close()
    if args.json:
        print_json(report.to_json())
        return 0 if not report.failed else 1
    if report.rebuilt:
        print(f"Rebuilt the index ({report.rebuilt}).")
    if report.recovered:
        print(f"Recovered from an interrupted run: re-indexed {len(report.recovered)} document(s).")
    print(
        f"Indexed: {len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.failed)} failed; {report.chunks_written} chunks written "
        f"in {report.seconds:.1f}s. Index now holds {report.docs_total} documents, {report.chunks_total} chunks."
    )
    for f in report.failed:
        print(f"  failed: {f['error']}", file=sys.stderr)
    for s in report.skipped:
        print(f"  skipped: {s['path']} ({s['reason']})", file=sys.stderr)
    return 0 if not report.failed else 1


def _cite(p) -> str:
    para = f"¶{p.paragraph + 1}" if p.paragraph == p.paragraph_end else f"¶{p.paragraph + 1}-{p.paragraph_end + 1}"
    return f"{p.doc} {para}, chars {p.start}-{p.end}"


def cmd_search(args) -> int:
    lib = library(args)
    results = lib.search(args.query, k=args.k, docs=args.doc or None)
    if args.json:
        print_json({"query": args.query, "results": [
            {"text": p.text, "doc": p.doc, "title": p.title, "paragraph": p.paragraph, "paragraph_end": p.paragraph_end,
             "start": p.start, "end": p.end, "sentence_ids": p.sentence_ids, "score": p.score, "id": p.id}
            for p in results]})
        return 0
    if not results:
        print("No passage matches.")
    for n, p in enumerate(results, 1):
        print(f"[{n}] {_cite(p)}  (score {p.score:.4f})")
        print("    " + p.text.replace("\n", "\n    "))
        print()
    return 0


def cmd_docs(args) -> int:
    lib = library(args)
    recs = lib.docs()
    if args.json:
        print_json({"documents": [r.to_json() for r in recs], "chunks": lib.store.count()})
        return 0
    if not recs:
        print("Nothing is indexed yet. Run `debatebot index` (defaults to the packaged seed article, seeds/).")
    for r in recs:
        flag = "" if r.status == "complete" else f"  [{r.status}]"
        print(f"{r.doc_id}  ({r.chunks} chunks, {r.chars} chars)  {r.title}{flag}")
    return 0


def cmd_remove(args) -> int:
    lib = library(args)
    lib.remove(args.doc)
    if args.json:
        print_json({"removed": args.doc})
    else:
        print(f"Removed {args.doc}.")
    return 0


# ---- parser --------------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="debatebot", description="Debate preparation from your sources, with verbatim citations.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="print JSON for scripts")
    common.add_argument("--index-dir", help="index folder (default: $DEBATEBOT_INDEX_DIR or index/)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("index", parents=[common], help="index files or folders (default: the packaged seed article, seeds/)")
    p.add_argument("paths", nargs="*", help=".txt .md .html .pdf files or folders")
    p.add_argument("--rebuild", action="store_true", help="drop the index and build it again")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("search", parents=[common], help="numbered passages with citations")
    p.add_argument("query")
    p.add_argument("-k", type=int, default=None, help="number of passages")
    p.add_argument("--doc", action="append", help="only search this document id (repeatable)")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("docs", parents=[common], help="list what is indexed")
    p.set_defaults(func=cmd_docs)

    p = sub.add_parser("remove", parents=[common], help="remove a document from the index")
    p.add_argument("doc", help="document id as listed by `debatebot docs`")
    p.set_defaults(func=cmd_remove)

    cli_answers.register(sub, common)
    return parser


def main(argv: list[str] | None = None) -> int:
    configure()
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except DebatebotError as e:
        if os.environ.get("DEBATEBOT_DEBUG"):
            raise
        print(f"error: {e.user_message()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
