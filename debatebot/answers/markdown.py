"""The Markdown of an answer, rendered from its typed blocks (the CLI's text, `Answer.answer`, the
brief). The web page renders the same blocks with its own `Style` (escaped text, badges, clickable
markers); nothing reads this Markdown back."""

from __future__ import annotations

import re

from debatebot.core.models import (
    Answer,
    Block,
    ClaimPart,
    Context,
    Diff,
    DiffOp,
    DraftReport,
    Heading,
    Note,
    Point,
    Points,
    Prose,
    Quote,
    QuoteLine,
    Speaker,
    SpeakerCheck,
    Table,
)
from debatebot.core.text import normalize
from debatebot.core.verdicts import SPEAKER_LABELS, SPEAKER_TEXT, VERDICT_LABELS

CLAIM_FLAGS = {"not_entailed": "not stated by the cited sources", "contradicted": "contradicted by the cited sources"}


def render_diff(diff: list[DiffOp], deleted, inserted, esc=lambda t: t) -> str:
    """A word-level diff as one line; `deleted`/`inserted` wrap changed words (Markdown or HTML)."""
    parts = []
    for d in diff or []:
        src, quo = esc(d.source), esc(d.quote)
        if d.op == "equal":
            parts.append(src)
        elif d.op == "replace":
            parts.append(f"{deleted(src)} {inserted(quo)}")
        elif d.op == "delete":
            parts.append(deleted(src))
        elif d.op == "insert":
            parts.append(inserted(quo))
    return " ".join(p for p in parts if p)


def location(q: Quote) -> str:
    return f"{q.doc}, ¶{q.paragraph + 1}, chars {q.start}–{q.end}"


def headline_quote(p: Point) -> Quote | None:
    """The quotation whose sentence a headline quotes (“...”), if the headline quotes one."""
    m = re.search(r"“(.+?)…?”\s*$", p.claim)
    if not m:
        return None
    # a headline shortened inside ("Mines … are banned…") quotes each of its pieces
    pieces = [normalize(x, casefold=True)[:60] for x in m.group(1).split("…") if x.strip()]
    return next((q for q in p.quotes if pieces and all(x in normalize(q.text, casefold=True) for x in pieces)), None)


class Style:
    """Plain Markdown: text as it is. A subclass changes how text, markers, verdicts and the like look."""

    verdict_modes: tuple[str, ...] = ("check", "quote")  # the modes whose verdict gets its own line

    def text(self, s: str) -> str:  # the engine's prose, the user's words, source text
        return s

    def prose(self, md: str) -> str:  # an LLM's Markdown (markers included)
        return md

    def marker(self, n: int | None) -> str:
        return f"[{n}]" if n else ""

    def quote_text(self, s: str) -> str:
        return self.text(s)

    def verdict(self, v: str | None) -> str:
        return f"**{VERDICT_LABELS.get(v or '', v or '')}**"

    def verdict_line(self, answer: Answer) -> list[str]:
        return [f"**Verdict: {VERDICT_LABELS.get(answer.verdict or '', answer.verdict or '')}**", ""]

    def diff(self, ops: list[DiffOp]) -> list[str]:
        line = render_diff(ops, lambda t: f"~~{t}~~", lambda t: f"**{t}**", self.text)
        return ["Word-level difference (~~source~~ **quoted**):", "", "> " + line, ""]

    def speaker(self, sp: SpeakerCheck) -> list[str]:
        if sp.verdict != "not_checked":
            who = f" — the source attributes it to **{self.text(sp.actual)}**" if sp.actual else ""
            return [f"**Speaker:** {self.text(sp.claimed or '—')}: {SPEAKER_LABELS.get(sp.verdict, sp.verdict)}{who}", ""]
        return [f"**Speaker in the source:** {self.text(sp.actual)}", ""] if sp.actual else []


PLAIN = Style()


def quote_line(q: Quote, style: Style = PLAIN, *, speaker: bool = True) -> str:
    who = f" — {style.text(q.speaker)}" if speaker and q.speaker else ""
    return f"> {style.quote_text(' '.join(q.text.split()))} {style.marker(q.marker)}{who}"


def point_lines(points: list[Point], style: Style = PLAIN, start: int = 1) -> list[str]:
    lines: list[str] = []
    for i, p in enumerate(points, start):
        head = f"{i}. **{style.text(p.claim)}**"
        hq = headline_quote(p)
        if hq is not None:
            head += f" {style.marker(hq.marker)}"
        if p.verdict in CLAIM_FLAGS:
            head += f" ⚠ _{CLAIM_FLAGS[p.verdict]}_"
        if p.holder:
            head += f" _({style.text(p.holder)})_"
        if p.confidence is not None:
            head += f" · judge {round(100 * p.confidence)}% sure"
        lines.append(head)
        for q in p.quotes:
            lines.append("   " + quote_line(q, style, speaker=not p.holder or q.speaker != p.holder))
        lines.append("")
    return lines


def block_lines(b: Block, style: Style = PLAIN, *, several_parts: bool = False) -> list[str]:
    if isinstance(b, Heading):
        return ["#" * b.level + " " + style.text(b.text), ""]
    if isinstance(b, Note):
        text = f"_{style.text(b.text)}_" if b.emphasis and b.text else style.text(b.text)
        lead = f"**{style.text(b.lead)}**" if b.lead else ""
        return [f"{lead} {text}".strip(), ""]
    if isinstance(b, Prose):
        return [style.prose(b.markdown), ""]
    if isinstance(b, Points):
        return point_lines(b.points, style, b.start)
    if isinstance(b, QuoteLine):
        return ([f"{style.text(b.label)}", ""] if b.label else []) + [quote_line(b.quote, style), ""]
    if isinstance(b, ClaimPart):
        lines = [f"- _{style.text(b.text)}_ — {style.verdict(b.verdict)}"] if several_parts else []
        if b.reason:
            lines.append(f"  {style.text(b.reason)}")
        lines += ["  " + quote_line(q, style) for q in b.quotes]
        return lines + [""]
    if isinstance(b, Context):
        lines = [f"_{style.text(b.label)}:_", ""]
        for q in b.quotes:
            lines += [quote_line(q, style), ""]
        return lines
    if isinstance(b, Table):
        lines = [f"#### {style.text(b.title)}", "", "| " + " | ".join(b.headers) + " |",
                 "|" + "---|" * len(b.headers)]
        for row, q in zip(b.rows, b.quotes):
            cells = [style.text(c).replace("|", "\\|") for c in row]
            cells[-1] += f" {style.marker(q.marker)}"
            lines.append("| " + " | ".join(cells) + " |")
        return lines + [""]
    if isinstance(b, Diff):
        return style.diff(b.ops)
    if isinstance(b, Speaker):
        return style.speaker(b.check)
    raise TypeError(f"unknown block {type(b).__name__}")


def body_lines(answer: Answer, style: Style = PLAIN, *, verdict: bool = True) -> list[str]:
    """The answer's blocks in order; the verdict line (check and quote) right after the first heading."""
    several = sum(isinstance(b, ClaimPart) for b in answer.blocks) > 1
    lines: list[str] = []
    show_verdict = verdict and answer.verdict is not None and answer.mode.value in style.verdict_modes
    at = next((i for i, b in enumerate(answer.blocks) if isinstance(b, Heading)), None)
    if show_verdict and at is None:
        lines += style.verdict_line(answer)
    for i, b in enumerate(answer.blocks):
        lines += block_lines(b, style, several_parts=several)
        if show_verdict and i == at:
            lines += style.verdict_line(answer)
    return lines


def sources_block(sources: list[Quote]) -> str:
    if not sources:
        return ""
    return "\n".join(["", "**Sources**", ""] + [f"[{q.marker}] {location(q)}" for q in sources])


def to_markdown(answer: Answer, style: Style = PLAIN, *, verdict: bool = True, sources: bool = True) -> str:
    """The whole answer as Markdown: its body and (`sources`) the numbered sources list."""
    md = "\n".join(body_lines(answer, style, verdict=verdict)).rstrip() + "\n"
    if sources and answer.sources:
        md += sources_block(answer.sources) + "\n"
    return re.sub(r"\n{3,}", "\n\n", md).lstrip("\n")


def draft_markdown(report: DraftReport, escape=None) -> str:
    """The draft check as Markdown: one line per item with its verdict and the deciding source text.

    `escape` makes draft and source text inert where the Markdown is opened by someone else (the
    app's export passes `sanitize.escape_markdown`); the CLI prints text as it is."""
    e = escape or (lambda t: t)
    lines = ["### Draft check", ""]
    counts = ", ".join(f"{n} {VERDICT_LABELS.get(v, v)}" for v, n in report.counts.items())
    lines += [f"{len(report.items)} item(s): {counts}", ""]
    for i, it in enumerate(report.items, 1):
        kind = {"quote": "Quotation", "claim": "Claim"}.get(it.kind, "Not checked")
        text = " ".join(it.text.split())
        if it.kind == "unchecked":
            lines += [f"{i}. _{kind}_ (chars {it.start}–{it.end}): “{e(text)}” — {e(it.reason or '')}", ""]
            continue
        lines.append(f"{i}. **{kind}** (chars {it.start}–{it.end}): “{e(text)}” — "
                     f"**{VERDICT_LABELS.get(str(it.verdict), str(it.verdict))}**")
        sp = it.speaker
        if sp:
            who = f"; the source attributes it to {e(sp.actual)}" if sp.actual and sp.verdict != "correct" else ""
            lines.append(f"   Speaker: {e(sp.claimed or '—')}: {SPEAKER_TEXT[sp.verdict][1]}{who}")
        if it.diff:
            lines.append("   Difference (~~source~~ **draft**): " + render_diff(
                it.diff, lambda t: f"~~{t}~~", lambda t: f"**{t}**", e))
        for ev in it.evidence[:2]:
            lines.append(f"   > {e(' '.join(ev.text.split()))} ({e(ev.doc)}, chars {ev.start}–{ev.end})")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
