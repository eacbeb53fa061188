"""Markdown for answers: numbered citation markers [n] and the sources list they point to."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from debatebot.core.models import Answer, BackendName, Mode, Point, Quote, Request
from debatebot.core.text import SourceDocument, normalize
from debatebot.core.verdicts import VERDICT_LABELS, VERDICT_TEXT

if TYPE_CHECKING:  # annotations only: rendering does not load the claim checker or the quote verifier
    from debatebot.verify.claims import ClaimCheck, EvidenceQuote
    from debatebot.verify.quotes import QuoteResult, Span

EXTRACTIVE_NOTE = "_Offline evidence engine (extractive): quotations are verbatim; headlines are shortened source sentences._"


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


def render_diff(diff: list[dict], deleted, inserted, esc=lambda t: t) -> str:
    """A word-level diff ([{"op", "source", "quote"}]) as one line; `deleted`/`inserted` wrap changed words
    (Markdown in answers, HTML in the app)."""
    parts = []
    for d in diff or []:
        op, src, quo = d.get("op"), esc(d.get("source", "")), esc(d.get("quote", ""))
        if op == "equal":
            parts.append(src)
        elif op == "replace":
            parts.append(f"{deleted(src)} {inserted(quo)}")
        elif op == "delete":
            parts.append(deleted(src))
        elif op == "insert":
            parts.append(inserted(quo))
    return " ".join(p for p in parts if p)


def location(q: Quote) -> str:
    return f"{q.doc}, ¶{q.paragraph + 1}, chars {q.start}–{q.end}"


def sources_block(sources: list[Quote]) -> str:
    if not sources:
        return ""
    lines = ["", "**Sources**", ""]
    for q in sources:
        lines.append(f"[{q.marker}] {location(q)}")
    return "\n".join(lines)


def quote_line(q: Quote, cites: Citations, *, speaker: bool = True) -> str:
    n = cites.mark(q)
    who = f" — {q.speaker}" if speaker and q.speaker else ""
    text = " ".join(q.text.split())
    return f"> {text} [{n}]{who}"


def context_lines(answer: Answer, label: str, quotes: list[Quote], cites: Citations) -> list[str]:
    """Passages shown beside the evidence, labelled as context: cited like evidence, but listed
    under `details["context"]`, never as points."""
    if not quotes:
        return []
    lines = ["", f"_{label}:_", ""]
    for q in quotes:
        lines += [quote_line(q, cites), ""]
    answer.details["context"] = {"label": label, "quotes": [q.model_dump(mode="json") for q in quotes]}
    return lines


def _headline_marker(p: Point, cites: Citations) -> str:
    """A headline quoting a source sentence (“...”) links to that sentence's citation."""
    m = re.search(r"“(.+?)…?”\s*$", p.claim)
    if not m:
        return ""
    core = normalize(m.group(1).rstrip("…"), casefold=True)[:60]
    for q in p.quotes:
        if core and core in normalize(q.text, casefold=True):
            return f" [{cites.mark(q)}]"
    return ""


CLAIM_FLAGS = {"not_entailed": "not stated by the cited sources", "contradicted": "contradicted by the cited sources"}


LEANING_LABEL = ("_The judge leans towards reading these as {side} the motion but is not sure of them (the best "
                 "of the rest, by rank): read them before using them._")


def render_points(points: list[Point], cites: Citations, *, numbered: bool = True, start: int = 1) -> list[str]:
    lines: list[str] = []
    for i, p in enumerate(points, start):
        head = f"{i}. **{p.claim}**" if numbered else f"- **{p.claim}**"
        head += _headline_marker(p, cites)
        if p.verdict in CLAIM_FLAGS:
            head += f" ⚠ _{CLAIM_FLAGS[p.verdict]}_"
        if p.holder:
            head += f" _({p.holder})_"
        if p.confidence is not None:
            head += f" · judge {round(100 * p.confidence)}% sure"
        lines.append(head)
        for q in p.quotes:
            lines.append("   " + quote_line(q, cites, speaker=not p.holder or q.speaker != p.holder))
        lines.append("")
    return lines


def side_section(heading: str, side: str, points: list[Point], sure: int, cites: Citations) -> list[str]:
    """A summary's side: its confident points, then (`sure` onwards) the ones the judge leans towards,
    under their label."""
    lines = [f"#### {heading}", ""] + render_points(points[:sure], cites)
    if len(points) > sure:
        lines += [LEANING_LABEL.format(side=side), ""] + render_points(points[sure:], cites, start=sure + 1)
    return lines if points else lines + ["_No evidence on this side._", ""]


def finish(answer: Answer, body: list[str], cites: Citations, *, extractive: bool) -> Answer:
    parts = []
    if extractive:
        parts.append(EXTRACTIVE_NOTE)
        parts.append("")
    parts.extend(body)
    md = "\n".join(parts).rstrip() + "\n" + sources_block(cites.sources)
    answer.answer = md.strip() + "\n"
    answer.sources = cites.sources
    return answer


# ---- claim and quotation checks ---------------------------------------------------------------------


def _q(span: EvidenceQuote | Span, docs: dict[str, SourceDocument]) -> Quote:
    doc = docs.get(span.doc)
    para = doc.paragraph_at(span.start) if doc else 0
    return Quote(text=span.text, doc=span.doc, start=span.start, end=span.end, paragraph=para,
                 title=doc.title if doc else "")


def render_check(req: Request, result: ClaimCheck, docs: dict[str, SourceDocument], backend: BackendName) -> Answer:
    """A claim check as an answer: the verdict, then each atomic claim with its verdict, reason and evidence."""
    ans = Answer(mode=Mode.check, backend=backend, answer="", verdict=result.verdict, details=result.to_json())
    cites = Citations()
    body = [f"### Claim: “{req.text.strip()}”", "", f"**Verdict: {VERDICT_LABELS.get(result.verdict, result.verdict)}**", ""]
    rule = result.combination.get("rule")
    if rule and rule != result.verdict:
        sure = result.combination.get("probabilities", {}).get(result.verdict)
        body += [f"_Read together (the learned combination of the judge's numbers and the checks"
                 f"{f', {sure:.0%} sure' if sure else ''}), the parts below make the claim "
                 f"{VERDICT_TEXT.get(result.verdict, result.verdict).lower()}, not "
                 f"{VERDICT_TEXT.get(rule, rule).lower()}._", ""]
    for c in result.claims:
        quotes = [_q(e, docs) for e in c.evidence]
        ans.points.append(Point(claim=c.text, quotes=quotes, verdict=c.verdict))
        if len(result.claims) > 1:
            body.append(f"- _{c.text}_ — **{VERDICT_LABELS.get(c.verdict, c.verdict)}**")
        if c.reason:
            body.append(f"  {c.reason}")
        for q in quotes:
            body.append("  " + quote_line(q, cites))
        body.append("")
    return finish(ans, body, cites, extractive=backend == "offline")


_SPEAKER_LABELS = {"correct": "✅ correctly attributed", "misattributed": "❌ misattributed",
                   "unattributed": "∅ the source does not say who said it"}


def render_quote(req: Request, result: QuoteResult, docs: dict[str, SourceDocument], backend: BackendName) -> Answer:
    """A quote check as an answer: the verdict, the source text, the word-level difference, the speaker."""
    verdict = result.verdict
    ans = Answer(mode=Mode.quote, backend=backend, answer="", verdict=verdict, details=result.model_dump(mode="json"))
    cites = Citations()
    body = [f"### Quotation: “{req.text.strip()}”", "", f"**Verdict: {VERDICT_LABELS.get(verdict, verdict)}**", ""]
    if result.explanation:
        body += [result.explanation, ""]
    sp = result.speaker
    if result.match is not None:
        q = _q(result.match, docs)
        q.speaker = sp.actual
        body += ["Source:", quote_line(q, cites), ""]
        ans.points.append(Point(claim="Closest source text", quotes=[q]))
    if result.diff and verdict != "exact":
        line = render_diff(result.diff, lambda t: f"~~{t}~~", lambda t: f"**{t}**")
        body += ["Word-level difference (~~source~~ **quoted**):", "", "> " + line, ""]
    if sp.verdict != "not_checked":
        who = f" — the source attributes it to **{sp.actual}**" if sp.actual else ""
        body += [f"**Speaker:** {sp.claimed or '—'}: {_SPEAKER_LABELS.get(sp.verdict, sp.verdict)}{who}", ""]
    elif sp.actual:
        body += [f"**Speaker in the source:** {sp.actual}", ""]
    for near in result.nearest[:3]:
        body.append("Nearest passage: " + quote_line(_q(near, docs), cites))
    return finish(ans, body, cites, extractive=backend == "offline")
