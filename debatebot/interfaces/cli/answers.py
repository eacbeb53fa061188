"""CLI commands that answer: ask, argue, rebut, check, quote, check-draft, summary, eval, serve."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from debatebot.core.models import Answer, Mode, Request
from debatebot.interfaces.cli.common import library, print_json


def answer_json(ans: Answer) -> dict:
    """The documented --json shape: mode/backend/answer/points/notices (+ verdict fields for check/quote)."""
    out: dict[str, Any] = {
        "mode": ans.mode.value,
        "backend": ans.backend,
        "answer": ans.answer,
        "points": [
            {"claim": p.claim, "side": p.side, "holder": p.holder, "verdict": p.verdict,
             "quotes": [{"text": q.text, "doc": q.doc, "start": q.start, "end": q.end, "paragraph": q.paragraph,
                         "speaker": q.speaker, "marker": q.marker} for q in p.quotes]}
            for p in ans.points
        ],
        "sources": [{"marker": q.marker, "text": q.text, "doc": q.doc, "start": q.start, "end": q.end,
                     "paragraph": q.paragraph} for q in ans.sources],
        "notices": ans.notices,
    }
    if ans.mode in (Mode.check, Mode.quote):
        for k, v in ans.details.items():
            out.setdefault(k, v)
        out["verdict"] = ans.verdict
    else:
        out["verdict"] = ans.verdict  # "not_in_sources" when the sources do not cover the request
        if ans.details:
            out["details"] = ans.details
    return out


def _run(args, req: Request) -> int:
    from debatebot.answers.engine import Engine

    engine = Engine(library(args))
    # a quote is verified by string matching: no model. The warm-up is joined before returning, so
    # the process never exits with onnxruntime still making a session on another thread.
    warming = engine.warm_up(req.mode) if req.mode != Mode.quote else None
    try:
        if args.json:
            ans = engine.run(req)
            print_json(answer_json(ans))
            return 0
        stream = engine.stream(req)
        for fragment in stream:
            sys.stdout.write(fragment)
            sys.stdout.flush()
        ans = stream.answer
        for n in ans.notices:
            if n not in ans.answer:
                print(f"note: {n}", file=sys.stderr)
        return 0
    finally:
        if warming is not None:
            warming.join()


def cmd_ask(args) -> int:
    return _run(args, Request(mode=Mode.ask, text=args.question, docs=args.doc))


def cmd_argue(args) -> int:
    return _run(args, Request(mode=Mode.argue, text=args.motion, motion=args.motion, side=args.side, docs=args.doc))


def cmd_rebut(args) -> int:
    return _run(args, Request(mode=Mode.rebut, text=args.argument, motion=args.motion, side=args.side, docs=args.doc))


def cmd_check(args) -> int:
    return _run(args, Request(mode=Mode.check, text=args.claim, docs=args.doc))


def cmd_quote(args) -> int:
    return _run(args, Request(mode=Mode.quote, text=args.text, speaker=args.speaker, docs=args.doc))


def cmd_summary(args) -> int:
    return _run(args, Request(mode=Mode.summary, text=args.topic or "", topic=args.topic, docs=args.doc))


def cmd_check_draft(args) -> int:
    from debatebot.answers.engine import Engine, check_draft, render_draft_report
    from debatebot.core.errors import InputError
    from debatebot.verify.draft import MAX_DRAFT_BYTES

    path = Path(args.file)
    if args.file != "-" and not path.is_file():
        raise InputError(f"No such draft file: {args.file}.", hint="Give the path of a .txt or .md file, or - for stdin.")
    if args.file != "-" and path.stat().st_size > MAX_DRAFT_BYTES:
        raise InputError(f"The draft is larger than the {MAX_DRAFT_BYTES // 1_000_000} MB limit of a draft check.",
                         hint="Check the article in parts.")
    text = sys.stdin.read() if args.file == "-" else path.read_text(encoding="utf-8", errors="replace")
    say = None if args.json else (lambda n, total: print(f"\rchecking {n}/{total}", end="", file=sys.stderr, flush=True))
    report = check_draft(Engine(library(args)), text, progress=say)
    if say:
        print(file=sys.stderr)
    if args.json:
        print_json(report)
    else:
        sys.stdout.write(render_draft_report(report))
    return 0


def cmd_eval(args) -> int:
    from debatebot.evaluation.runner import format_table, run_eval

    report = run_eval(Path(args.path), only=args.only, limit=args.limit, embedding_model=args.embedding_model,
                      progress=None if args.json else lambda msg: print(msg, file=sys.stderr),
                      written_dir=Path(args.written) if args.written else None)
    if args.json:
        print_json(report)
    else:
        print(format_table(report))
    if args.output:
        Path(args.output).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


def cmd_serve(args) -> int:
    from debatebot.interfaces.web.server import serve

    serve(host=args.host, port=args.port, index_dir=args.index_dir)
    return 0


def register(sub, common) -> None:
    def add(name, help_, func):
        p = sub.add_parser(name, parents=[common], help=help_)
        p.add_argument("--doc", action="append", help="only use this document id (repeatable)")
        p.set_defaults(func=func)
        return p

    p = add("ask", "a direct answer with citations", cmd_ask)
    p.add_argument("question")
    p = add("argue", "3-5 cited arguments for one side of a motion", cmd_argue)
    p.add_argument("motion")
    p.add_argument("--side", choices=["for", "against"], default="for")
    p = add("rebut", "cited counter-arguments to an opponent's argument", cmd_rebut)
    p.add_argument("argument")
    p.add_argument("--motion", help="the motion being debated (helps pick the other side)")
    p.add_argument("--side", choices=["for", "against"], help="the side the opponent argues (default: inferred)")
    p = add("check", "verdict on a claim with the deciding quotations", cmd_check)
    p.add_argument("claim")
    p = add("quote", "is this quotation in the sources, word for word, and who said it", cmd_quote)
    p.add_argument("text")
    p.add_argument("--speaker", help="who the quotation is attributed to")
    p = add("summary", "balanced summary: each side's points, who holds them, key figures", cmd_summary)
    p.add_argument("--topic", help="focus of the summary (default: the sources' main subject)")

    p = sub.add_parser("check-draft", parents=[common],
                       help="check every quotation and factual sentence of a draft article against the sources")
    p.add_argument("file", help="the draft (.txt/.md), or - to read it from standard input")
    p.set_defaults(func=cmd_check_draft)

    p = sub.add_parser("eval", parents=[common], help="measure quality on the public development data")
    p.add_argument("path", help="folder of the evaluation data (e.g. ../shared/eval)")
    from debatebot.evaluation.runner import PARTS

    p.add_argument("--only", action="append", choices=PARTS,
                   help="run only these parts")
    p.add_argument("--written", default=None, help="folder of the written articles (default: training/data/written "
                   "of the repository; their dev split is evaluated, with the questions of training/data/questions)")
    p.add_argument("--limit", type=int, default=None, help="at most N items per dataset (quick runs)")
    p.add_argument("--embedding-model", default=None, help="embedding model (default: settings)")
    p.add_argument("--output", help="also write the JSON report to this file")
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("serve", parents=[common], help="start the web app")
    p.add_argument("--host", default=None, help="interface (default 127.0.0.1; 0.0.0.0 exposes it to the network)")
    p.add_argument("--port", type=int, default=None)
    p.set_defaults(func=cmd_serve)
