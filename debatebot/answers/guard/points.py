"""The guard over points: each quotation of a point is kept only when it is verbatim in the passage it
cites (replaced by the exact source slice), repaired when it is a clear near miss, else removed."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from debatebot.answers.guard.locate import locate, locate_in_document
from debatebot.core.models import Passage, Point, Quote
from debatebot.core.text import SourceDocument, clip

Status = Literal["exact", "normalized", "repaired", "removed", "unknown_passage"]


@dataclass
class QuoteCheck:
    """What the guard did with one quotation."""

    status: Status
    original: str
    passage: str | None
    quote: Quote | None = None  # the verified quote (None when removed)
    score: float = 0.0


@dataclass
class GuardResult:
    points: list[Point]
    notices: list[str] = field(default_factory=list)
    checks: list[QuoteCheck] = field(default_factory=list)

    def count(self, *statuses: Status) -> int:
        return sum(1 for c in self.checks if c.status in statuses)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "verified": self.count("exact", "normalized"),
            "repaired": self.count("repaired"),
            "removed": self.count("removed", "unknown_passage"),
        }


def passage_lookup(passages: list[Passage]) -> dict[str, Passage]:
    """Passages by id, and by their prompt label "P1", "P2"... (position in the list, 1-based)."""
    table: dict[str, Passage] = {}
    for i, p in enumerate(passages, 1):
        table.setdefault(f"P{i}", p)
    for p in passages:
        table[p.id] = p  # a real id wins over a positional label
    return table


def guard_quotes(points: list[Point], passages: list[Passage], docs: dict[str, SourceDocument], *,
                 refs: dict[str, Passage] | None = None, fuzzy: bool = True,
                 drop_unsupported_points: bool = True) -> GuardResult:
    """Check every quotation of `points` against the passage its `passage_id` names.

    `passage_id` is looked up in `refs` when given (e.g. the prompt labels "P1".. of an LLM call),
    else by passage id or positional label (`passage_lookup`). Verified quotes get the real passage id.

    A quote without `passage_id` is checked against its own `doc` (exact offsets, else searched in the
    whole document). Returns new points (inputs are not modified): verified quotes carry the exact
    source text and offsets; points whose every quotation was removed are dropped when
    `drop_unsupported_points` (a claim with no surviving evidence is not shown as evidenced)."""
    table = refs if refs is not None else passage_lookup(passages)
    result = GuardResult(points=[])
    for point in points:
        kept: list[Quote] = []
        for q in point.quotes:
            check = _check_one(q, table, docs, fuzzy=fuzzy)
            result.checks.append(check)
            if check.quote is not None:
                kept.append(check.quote)
            notice = _notice(check)
            if notice:
                result.notices.append(notice)
        if kept or not point.quotes or not drop_unsupported_points:
            result.points.append(point.model_copy(update={"quotes": kept}))
        else:
            result.notices.append(f"Removed the point “{clip(point.claim, 70)}”: none of its quotations is in the sources.")
    return result


def _check_one(q: Quote, table: dict[str, Passage], docs: dict[str, SourceDocument], *, fuzzy: bool) -> QuoteCheck:
    ref = q.passage_id
    passage = table.get(ref) if ref else None
    if ref and passage is None:
        return QuoteCheck("unknown_passage", q.text, ref)
    doc_id = passage.doc if passage is not None else q.doc
    doc = docs.get(doc_id)
    if doc is None:
        return QuoteCheck("removed", q.text, ref)
    lo, hi = (passage.start, passage.end) if passage is not None else (0, len(doc.text))
    # fast path: already an exact slice inside the cited region (offline engine quotes)
    if 0 <= q.start < q.end <= len(doc.text) and q.doc == doc_id and doc.text[q.start:q.end] == q.text \
            and q.start < hi and q.end > lo:
        return QuoteCheck("exact", q.text, ref, q.model_copy(), 100.0)
    if passage is None:  # no passage cited: verbatim anywhere in its own document, never fuzzy
        m = locate_in_document(q.text, doc)
    else:
        m = locate(q.text, doc, lo, hi, fuzzy=fuzzy)
    if m is None:
        return QuoteCheck("removed", q.text, ref)
    fixed = q.model_copy(update={
        "text": doc.text[m.start:m.end], "doc": doc.doc_id, "start": m.start, "end": m.end,
        "paragraph": doc.paragraph_at(m.start), "title": q.title or doc.title,
        "passage_id": passage.id if passage is not None else q.passage_id,
    })
    return QuoteCheck(m.status, q.text, ref, fixed, m.score)


def _notice(c: QuoteCheck) -> str | None:
    label = clip(c.passage, 30) if c.passage else ""  # the model's text: a small model may put a sentence here
    where = f" {label}" if label else ""
    if c.status == "unknown_passage":
        return (f"Dropped a quotation citing passage {label}, which was not among the retrieved passages: "
                f"“{clip(c.original)}”.")
    if c.status == "removed":
        return f"Removed a quotation not found in the cited passage{where}: “{clip(c.original)}”."
    if c.status == "repaired" and c.quote is not None:
        return (f"A quotation did not match the source word for word and was replaced by the source text "
                f"(passage{where}): “{clip(c.original)}” → “{clip(c.quote.text)}”.")
    return None


