"""Putting an answer together: its typed blocks, numbered citations in reading order, the sources
list, and its Markdown (rendered once, by `answers.markdown`). The claim and quote checks become
answers here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from debatebot.answers.markdown import headline_quote, to_markdown
from debatebot.core.models import (
    Answer,
    BackendName,
    Block,
    ClaimPart,
    Context,
    Diff,
    DiffOp,
    Heading,
    Mode,
    Note,
    Point,
    Points,
    Quote,
    QuoteLine,
    Request,
    Speaker,
    Table,
)
from debatebot.core.text import SourceDocument
from debatebot.core.verdicts import VERDICT_TEXT

if TYPE_CHECKING:  # annotations only: composing does not load the claim checker or the quote verifier
    from debatebot.verify.claims import ClaimCheck, EvidenceQuote
    from debatebot.verify.quotes import QuoteResult, Span

EXTRACTIVE_NOTE = ("Offline evidence engine (extractive): quotations are verbatim; headlines are shortened source "
                   "sentences.")
LEANING_LABEL = ("The judge leans towards reading these as {side} the motion but is not sure of them (the best "
                 "of the rest, by rank): read them before using them.")


class Citations:
    """Assigns marker numbers to quotes; the same span gets the same number."""

    def __init__(self) -> None:
        self.sources: list[Quote] = []
        self._by_span: dict[tuple[str, int, int], int] = {}

    def mark(self, q: Quote) -> int:
        key = (q.doc, q.start, q.end)
        n = self._by_span.get(key)
        if n is None:
            n = len(self.sources) + 1
            self._by_span[key] = n
            self.sources.append(q.model_copy(update={"marker": n}))
        q.marker = n
        return n

    def mark_blocks(self, blocks: list[Block]) -> None:
        """Number every quotation of `blocks` in reading order (a point's headline sentence first)."""
        for b in blocks:
            if isinstance(b, Points):
                for p in b.points:
                    hq = headline_quote(p)
                    for q in ([hq] if hq is not None else []) + p.quotes:
                        self.mark(q)
            elif isinstance(b, QuoteLine):
                self.mark(b.quote)
            elif isinstance(b, (ClaimPart, Context, Table)):
                for q in b.quotes:
                    self.mark(q)


def finish(answer: Answer, blocks: list[Block], cites: Citations | None = None, *, extractive: bool) -> Answer:
    """`answer` with `blocks` as its body (the offline engine's note first), its citations numbered, its
    sources list and its Markdown."""
    cites = cites or Citations()
    answer.blocks = ([Note(text=EXTRACTIVE_NOTE, emphasis=True)] if extractive else []) + list(blocks)
    cites.mark_blocks(answer.blocks)
    answer.sources = cites.sources
    return rerender(answer)


def rerender(answer: Answer) -> Answer:
    """The answer's Markdown again, after its blocks changed."""
    answer.answer = to_markdown(answer)
    return answer


def heading(text: str, level: int = 3) -> Heading:
    return Heading(text=text, level=level)


def note(text: str, *, lead: str | None = None, emphasis: bool = False) -> Note:
    return Note(text=text, lead=lead, emphasis=emphasis)


def context_block(label: str, quotes: list[Quote]) -> list[Block]:
    """Passages shown beside the evidence, labelled as context: cited like evidence, never points."""
    return [Context(label=label, quotes=quotes)] if quotes else []


def side_blocks(title: str, side: str, points: list[Point], sure: int) -> list[Block]:
    """A side: its confident points, then (`sure` onwards) the ones the judge leans towards, under
    their label."""
    blocks: list[Block] = [heading(title, 4)]
    if not points:
        return blocks + [note("No evidence on this side.", emphasis=True)]
    if sure:
        blocks.append(Points(points=points[:sure]))
    if len(points) > sure:
        blocks += [note(LEANING_LABEL.format(side=side), emphasis=True), Points(points=points[sure:], start=sure + 1)]
    return blocks


def table(title: str, headers: list[str], rows: list[tuple[list[str], Quote]]) -> Table:
    return Table(title=title, headers=headers, rows=[r for r, _ in rows], quotes=[q for _, q in rows])


# ---- claim and quotation checks ---------------------------------------------------------------------
def as_quote(span: EvidenceQuote | Span, docs: dict[str, SourceDocument]) -> Quote:
    doc = docs.get(span.doc)
    para = doc.paragraph_at(span.start) if doc else 0
    return Quote(text=span.text, doc=span.doc, start=span.start, end=span.end, paragraph=para,
                 title=doc.title if doc else "")


def check_answer(req: Request, result: ClaimCheck, docs: dict[str, SourceDocument], backend: BackendName) -> Answer:
    """A claim check as an answer: the verdict, then each atomic claim with its verdict, reason and evidence."""
    ans = Answer(mode=Mode.check, backend=backend, verdict=result.verdict, details=result.to_json())
    blocks: list[Block] = [heading(f"Claim: “{req.text.strip()}”")]
    rule = result.combination.get("rule")
    if rule and rule != result.verdict:
        sure = result.combination.get("probabilities", {}).get(result.verdict)
        blocks.append(note(
            f"Read together (the learned combination of the judge's numbers and the checks"
            f"{f', {sure:.0%} sure' if sure else ''}), the parts below make the claim "
            f"{VERDICT_TEXT.get(result.verdict, result.verdict).lower()}, not {VERDICT_TEXT.get(rule, rule).lower()}.",
            emphasis=True))
    for c in result.claims:
        quotes = [as_quote(e, docs) for e in c.evidence]
        ans.points.append(Point(claim=c.text, quotes=quotes, verdict=c.verdict))
        blocks.append(ClaimPart(text=c.text, verdict=c.verdict, reason=c.reason or "", quotes=quotes))
    return finish(ans, blocks, extractive=backend == "offline")


def quote_answer(req: Request, result: QuoteResult, docs: dict[str, SourceDocument], backend: BackendName) -> Answer:
    """A quote check as an answer: the verdict, the source text, the word-level difference, the speaker."""
    sp = result.speaker
    diff = [DiffOp.model_validate(d) for d in result.diff]
    ans = Answer(mode=Mode.quote, backend=backend, verdict=result.verdict, speaker=sp, diff=diff,
                 details=result.model_dump(mode="json"))
    blocks: list[Block] = [heading(f"Quotation: “{req.text.strip()}”")]
    if result.explanation:
        blocks.append(note(result.explanation))
    if result.match is not None:
        q = as_quote(result.match, docs)
        q.speaker = sp.actual
        blocks.append(QuoteLine(label="Source:", quote=q))
        ans.points.append(Point(claim="Closest source text", quotes=[q]))
    if diff and result.verdict != "exact":
        blocks.append(Diff(ops=diff))
    if sp.verdict != "not_checked" or sp.actual:
        blocks.append(Speaker(check=sp))
    for near in result.nearest[:3]:
        blocks.append(QuoteLine(label="Nearest passage:", quote=as_quote(near, docs)))
    return finish(ans, blocks, extractive=backend == "offline")
