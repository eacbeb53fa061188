"""The draft check: a journalist's draft read once (`read_draft`), every quotation and checkable claim
verified against the indexed sources (`check_draft`), every other sentence accounted for. The report
is typed; the CLI, the app and the export render it."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from debatebot.core.errors import InputError
from debatebot.core.models import DiffOp, DraftItem, DraftReport, Mode, Request, SourceSpan
from debatebot.core.settings import Settings

if TYPE_CHECKING:
    from debatebot.answers.engine import Engine

def read_draft(source: str | Path, settings: Settings) -> str:
    """The text of a draft: "-" for standard input, else a file (.txt, .md, .html or .pdf) read like a
    source, bounded in size and time. Raises InputError saying what to do."""
    from debatebot.corpus.ingest import SUPPORTED, SourceFile, load_file, safe_name
    from debatebot.verify.draft import MAX_DRAFT_BYTES

    if str(source) == "-":
        return sys.stdin.read()
    path = Path(source)
    name = safe_name(path.name)
    if not path.is_file():
        raise InputError(f"No such draft file: {source}.", hint="Give the path of a .txt or .md file, or - for stdin.")
    if path.suffix.lower() not in SUPPORTED:
        raise InputError(f"{name}: unsupported file type — use {', '.join(sorted(SUPPORTED))}.")
    if path.suffix.lower() != ".pdf" and path.stat().st_size > MAX_DRAFT_BYTES:
        raise InputError(f"The draft is larger than the {MAX_DRAFT_BYTES // 1_000_000} MB limit of a draft check.",
                         hint="Check the article in parts.")
    doc = load_file(SourceFile(path=path, doc_id=f"draft/{name}"), max_chars=settings.limits.max_doc_chars,
                    max_seconds=settings.limits.max_parse_seconds, max_mb=settings.limits.max_file_mb)  # an IngestError says what is wrong with the file
    return doc.text


def check_draft(engine: Engine, text: str, progress: Callable[[int, int], None] | None = None) -> DraftReport:
    """Verify every quotation and checkable claim of `text` against the engine's sources; every other
    sentence becomes an "unchecked" item with its reason. Quote verdicts are those of `quote`, claim
    verdicts those of `check`."""
    from debatebot.verify.draft import find_items

    found = find_items(text)
    if not any(it.kind != "unchecked" for it in found):
        raise InputError("The draft has no quotations or checkable factual sentences.",
                         hint="A checkable sentence states a number, a date or a name; quotations are in quotation marks.")
    verifier = engine.quotes.get()
    items: list[DraftItem] = []
    total = sum(it.kind != "unchecked" for it in found)
    n = 0
    for it in found:
        if it.kind == "unchecked":
            items.append(DraftItem(kind="unchecked", text=it.text, start=it.start, end=it.end, verdict="not_checked",
                                   reason=it.reason))
            continue
        n += 1
        if progress:
            progress(n, total)
        if it.kind == "quote":
            res = verifier.verify(it.text, it.speaker)
            items.append(DraftItem(
                kind="quote", text=it.text, start=it.start, end=it.end, verdict=res.verdict,
                speaker=res.speaker if it.speaker else None,
                evidence=[SourceSpan.model_validate(res.match.model_dump())] if res.match else [],
                diff=[DiffOp.model_validate(d) for d in res.diff] if res.verdict != "exact" else []))
        else:
            ans = engine.run(Request(mode=Mode.check, text=it.text))
            seen: set[tuple[str, int, int]] = set()
            evidence = []
            for p in ans.points:  # each source sentence once, though several parts of the claim cite it
                for q in p.quotes:
                    if (q.doc, q.start, q.end) not in seen:
                        seen.add((q.doc, q.start, q.end))
                        evidence.append(SourceSpan(text=q.text, doc=q.doc, start=q.start, end=q.end))
            items.append(DraftItem(kind="claim", text=it.text, start=it.start, end=it.end, verdict=ans.verdict,
                                   evidence=evidence))
    return DraftReport(items=items)
