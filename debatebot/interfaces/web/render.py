"""HTML/Markdown the web app shows: chat messages with clickable citation markers, verdict badges,
word-level diffs, the sources panel (each passage in context, quoted words in <mark>), the
document table and the status line.

Every piece of document or user text is HTML-escaped here before it reaches the page; markup is
only ever added around escaped text."""

from __future__ import annotations

import re

from debatebot.answers.markdown import Style, render_diff, to_markdown
from debatebot.core.models import Answer, DiffOp, DraftReport, Mode, Quote, SpeakerCheck
from debatebot.core.sanitize import escape_html, escape_markdown
from debatebot.core.text import SourceDocument, clip
from debatebot.core.verdicts import SPEAKER_TEXT, VERDICT_TEXT

VERDICT_CLASS = {
    "exact": "ok", "supported": "ok",
    "altered": "warn", "spliced": "warn", "truncated": "warn", "not_quoted": "warn", "partly_supported": "warn",
    "contradicted": "bad", "not_found": "bad", "misattributed": "bad",
    "not_in_sources": "none", "not_checked": "none",
}
SPEAKER_CLASS = {"correct": "ok", "misattributed": "bad", "unattributed": "none", "not_checked": "none"}
MODE_TITLES = {Mode.ask: "Question", Mode.argue: "Arguments", Mode.rebut: "Rebuttal", Mode.check: "Claim check",
               Mode.quote: "Quote check", Mode.summary: "Balanced summary", Mode.practice: "Practice round"}

_MARKER = re.compile(r"\[(\d{1,3})\]")
# Emoji that Debian chromium (no colour-emoji font) draws as empty boxes -> glyphs every text font has
EMOJI_TEXT = {"\u2705": "\u2713", "\u274c": "\u2717", "\u2139\ufe0f": "\u2139", "\u26a0\ufe0f": "\u26a0",
              "\u270f\ufe0f": "\u270f", "\u2702\ufe0f": "\u2702", "\ufe0f": ""}
CONTEXT_MAX = 1400  # characters of context shown around a quotation before trimming by sentences


def esc(text: str) -> str:
    """Escape <, >, & (and quotes) so text is shown as text, never markup; bidi controls made visible."""
    return escape_html(text)


def md_escape(md: str) -> str:
    """Make Markdown safe for the Chatbot: no raw HTML, no images or links smuggled in by source text,
    no bare URL turned into a link, no bidi override reordering what is shown (`sanitize`)."""
    return escape_markdown(md or "")


def cite_anchor(turn: int, n: int) -> str:
    return f'<a class="cite" href="#src-{turn}-{n}" title="Show source [{n}]">[{n}]</a>'


def _link_markers(md: str, turn: int) -> str:
    return _MARKER.sub(lambda m: cite_anchor(turn, int(m.group(1))), md)


def plain_symbols(text: str) -> str:
    """`text` with the emoji of verdict labels (✅ ❌ ⚠️ …) replaced by plain symbols (✓ ✗ ⚠)."""
    for k, v in EMOJI_TEXT.items():
        if k in text:
            text = text.replace(k, v)
    return text


CONTINUES = '<span class="cont" title="the quotation continues in the source">…\u201d</span>'


def badge(verdict: str | None, text: str | None = None) -> str:
    if not verdict:
        return ""
    cls = VERDICT_CLASS.get(verdict, "none")
    label = text or VERDICT_TEXT.get(verdict, verdict.replace("_", " "))
    return f'<span class="verdict v-{cls}" data-verdict="{esc(verdict)}">{esc(label)}</span>'


def speaker_badge(sp: SpeakerCheck) -> str:
    return f'<span class="verdict v-{SPEAKER_CLASS[sp.verdict]}">{esc(SPEAKER_TEXT[sp.verdict][0])}</span>'


def diff_html(diff: list[DiffOp]) -> str:
    """Word-level diff: <del> what the source says, <ins> what the quotation says instead."""
    body = render_diff(diff, lambda t: f"<del>{t}</del>", lambda t: f"<ins>{t}</ins>", esc)
    return (f'<div class="diff"><span class="diff-legend">Word-level difference: <del>source</del> '
            f"<ins>quoted</ins></span><br>{body}</div>")


class WebStyle(Style):
    """The answer's blocks as Chatbot Markdown: every text escaped, verdicts as badges that need no
    emoji font, citation markers that open the source card of turn `turn`."""

    verdict_modes = tuple(m.value for m in Mode)

    def __init__(self, turn: int) -> None:
        self.turn = turn

    def text(self, s: str) -> str:
        return plain_symbols(md_escape(s))

    def prose(self, md: str) -> str:
        return _link_markers(self.text(md), self.turn)

    def marker(self, n: int | None) -> str:
        return cite_anchor(self.turn, n) if n else ""

    def quote_text(self, s: str) -> str:
        """A source sentence that opens a quotation the source closes only in a later sentence gets a
        closing mark outside the verbatim text, marked as such (CONTINUES)."""
        return self.text(s) + (CONTINUES if s.count("\u201c") > s.count("\u201d") else "")

    def verdict(self, v: str | None) -> str:
        return badge(v)

    def verdict_line(self, answer: Answer) -> list[str]:
        head = "Verdict: " + badge(answer.verdict)
        if answer.speaker is not None and answer.speaker.verdict in SPEAKER_CLASS and answer.speaker.verdict != "not_checked":
            head += " " + speaker_badge(answer.speaker)
        return [head, ""]

    def diff(self, ops: list[DiffOp]) -> list[str]:
        return [diff_html(ops), ""]

    def speaker(self, sp: SpeakerCheck) -> list[str]:
        return [plain_symbols(line) for line in super().speaker(sp)]


def answer_markdown(answer: Answer, turn: int) -> str:
    """A finished answer as safe Chatbot Markdown, rendered from its blocks: verdict badges, the
    word-level diff in HTML, clickable [n] markers; the sources go to the panel, notices below."""
    body = to_markdown(answer, WebStyle(turn), sources=False)
    for n in answer.notices:
        if n not in (answer.answer or ""):
            body += f"\n\n> \u2139 {plain_symbols(md_escape(n))}"
    return body


def partial_markdown(md: str, turn: int) -> str:
    """Markdown still streaming in (an LLM's prose as it arrives), escaped, with clickable markers."""
    return _link_markers(plain_symbols(md_escape(md or "")), turn)


def user_markdown(text: str, mode_label: str, extra: str = "") -> str:
    who = f" · {md_escape(extra)}" if extra else ""
    return f"**{esc(mode_label)}**{who}\n\n{md_escape(text)}"


def error_markdown(message: str) -> str:
    return f'<span class="verdict v-bad">Error</span> {md_escape(message)}'


# ---- sources panel ------------------------------------------------------------------------------
def _context_span(doc: SourceDocument, start: int, end: int) -> tuple[int, int, int, int]:
    """(ctx_start, ctx_end, first_para, last_para): the paragraph(s) holding the quote, trimmed to
    two sentences either side when very long, widened to the neighbour paragraphs when short."""
    p0, p1 = doc.paragraph_at(start), doc.paragraph_at(max(start, end - 1))
    if not doc.paragraphs:
        return max(0, start - 300), min(len(doc.text), end + 300), 0, 0
    a, b = doc.paragraphs[p0].start, doc.paragraphs[p1].end
    if b - a > CONTEXT_MAX:
        sents = doc.sentences
        first = doc.sentence_at(start)
        last = doc.sentence_at(max(start, end - 1))
        i = max(first.id - 2, 0) if first else 0
        j = min(last.id + 2, len(sents) - 1) if last else len(sents) - 1
        a = max(a, sents[i].start) if sents else max(a, start - 600)
        b = min(b, sents[j].end) if sents else min(b, end + 600)
    elif b - a < 400:
        if p0 > 0:
            a, p0 = doc.paragraphs[p0 - 1].start, p0 - 1
        if p1 + 1 < len(doc.paragraphs):
            b, p1 = doc.paragraphs[p1 + 1].end, p1 + 1
    return min(a, start), max(b, end), p0, p1


def context_html(doc: SourceDocument, q: Quote) -> str:
    """The passage in context: surrounding text escaped, the quoted words in <mark>."""
    a, b, _, _ = _context_span(doc, q.start, q.end)
    t = doc.text
    before, quoted, after = t[a:q.start], t[q.start:q.end], t[q.end:b]
    lead = "… " if a > 0 else ""
    tail = " …" if b < len(t) else ""

    def para(s: str) -> str:
        return esc(s).replace("\n", "<br>")

    return f'<div class="ctx">{lead}{para(before)}<mark>{para(quoted)}</mark>{para(after)}{tail}</div>'


def source_card(turn: int, q: Quote, doc: SourceDocument | None, show_doc: bool = True) -> str:
    n = q.marker or 0
    title = doc.title if doc else (q.title or q.doc)
    loc = f"¶{q.paragraph + 1} · chars {q.start}–{q.end}"
    snippet = " ".join(q.text.split())
    if len(snippet) > 110:
        snippet = snippet[:107].rstrip() + "…"
    if not snippet.startswith(("\u201c", '"')):  # a sentence that opens with a quotation keeps its own marks
        snippet = f"\u201c{snippet}\u201d"
    elif snippet.count("\u201c") > snippet.count("\u201d"):  # cut short, or closed in a later sentence
        snippet += "\u201d"
    who = f'<div class="meta">Speaker: {esc(q.speaker)}</div>' if q.speaker else ""
    ctx = context_html(doc, q) if doc is not None else f'<div class="ctx"><mark>{esc(q.text)}</mark></div>'
    return (
        f'<details class="src-card" id="src-{turn}-{n}" data-doc="{esc(q.doc)}" data-start="{q.start}" '
        f'data-end="{q.end}"><summary><span class="n">[{n}]</span> <span class="loc">{esc(loc)}</span> '
        + (f'<span class="doc" title="{esc(title)}">{esc(clip(title, 40))}</span>' if show_doc else "") +
        f'<span class="snip">{esc(snippet)}</span></summary>'
        f'<div class="meta">{esc(title)}<br>Document <code>{esc(q.doc)}</code> · paragraph {q.paragraph + 1} · '
        f"characters {q.start}–{q.end}</div>{ctx}{who}</details>"
    )


def sources_panel_html(turns: list, documents: dict[str, SourceDocument]) -> str:
    """All citations of the conversation, newest answer first; each expands to its passage in context."""
    if not turns or not any(t.answer.sources for t in turns):
        return ('<div class="sources-panel"><p class="src-hint">Sources appear here. Click a citation '
                "<b>[n]</b> in an answer to see the passage in context, with the quoted words highlighted.</p></div>")
    out = ['<div class="sources-panel"><p class="src-hint">Click a citation <b>[n]</b> to open its passage.</p>']

    for t in reversed(turns):
        if not t.answer.sources:
            continue
        label = MODE_TITLES.get(t.answer.mode, t.answer.mode.value)
        out.append(f'<section class="src-turn" data-turn="{t.id}"><h4>Answer {t.id} · {esc(label)}: '
                   f'<span class="ask">{esc(clip(t.shown_text, 60))}</span></h4>')
        several = len({q.doc for q in t.answer.sources}) > 1  # name the document only when it varies
        if not several:
            d = documents.get(t.answer.sources[0].doc)
            out.append(f'<p class="src-doc">{esc(d.title if d else t.answer.sources[0].doc)}</p>')
        out.extend(source_card(t.id, q, documents.get(q.doc), several) for q in t.answer.sources)
        out.append("</section>")
    out.append("</div>")
    return "".join(out)


# ---- documents and status -----------------------------------------------------------------------
def breakable_path(path: str) -> str:
    """A file path, escaped, that wraps only after a separator ("uploads/<wbr>nuclear_<wbr>restart_<wbr>article.txt"),
    never inside a word."""
    return "".join(esc(part) + ("<wbr>" if part[-1:] in "/_-." else "") for part in re.split(r"(?<=[/_\-.])", path) if part)


def docs_table_html(records: list, error: str | None = None) -> str:
    if error:
        return f'<p class="src-hint doc-error">The document list is not available: {esc(error)}</p>'
    if not records:
        return '<p class="src-hint">No documents indexed yet. Upload .txt, .md, .html or .pdf files above.</p>'
    rows = "".join(  # data-label: on a phone each row is shown as a small card of labelled lines
        f'<tr><td data-label="Document"><code>{breakable_path(r.doc_id)}</code></td><td data-label="Title">{esc(r.title)}</td>'
        f'<td data-label="Chunks">{r.chunks}</td><td data-label="Characters">{r.chars:,}</td>'
        f'<td data-label="Status">{esc(r.status)}</td></tr>' for r in records
    )
    return ('<table class="doc-table"><thead><tr><th>Document</th><th>Title</th><th>Chunks</th><th>Characters</th>'
            f"<th>Status</th></tr></thead><tbody>{rows}</tbody></table>")


def status_markdown(label: str, documents: int, chunks: int, error: str | None = None) -> str:
    if error:
        return (f'<div class="status-line">Answers from: <b>{esc(label)}</b> · the index is not available '
                f"right now ({esc(clip(error, 160))})</div>")
    return (f'<div class="status-line">Answers from: <b>{esc(label)}</b> · <b>{documents}</b> document'
            f'{"s" if documents != 1 else ""} · <b>{chunks}</b> chunks indexed · answers quote the sources verbatim'
            "</div>")


# ---- draft check ---------------------------------------------------------------------------------
def draft_report_html(report: DraftReport) -> str:
    """The draft check as HTML: counts, then each quotation and claim of the draft with its verdict
    badge, the speaker check, the word-level diff and the deciding source text."""
    counts = " ".join(f'{badge(v, f"{n} {VERDICT_TEXT.get(v, v)}")}' for v, n in report.counts.items())
    rows = []
    for i, it in enumerate(report.items, 1):
        kind = {"quote": "Quotation", "claim": "Claim"}.get(it.kind, "Not checked")
        text = " ".join(it.text.split())
        if it.kind == "unchecked":
            rows.append(f'<li class="draft-item draft-unchecked" data-kind="unchecked" data-verdict="not_checked">'
                        f'<div class="draft-head"><span class="draft-n">{i}.</span> {badge("not_checked")} '
                        f'<span class="draft-at">chars {it.start}–{it.end}</span> '
                        f'<span class="draft-why">{esc(it.reason or "")}</span></div>'
                        f'<div class="draft-text">“{esc(text)}”</div></li>')
            continue
        head = (f'<div class="draft-head"><span class="draft-n">{i}.</span> <b>{kind}</b> '
                f'<span class="draft-at">chars {it.start}–{it.end}</span> {badge(it.verdict)}')
        sp = it.speaker
        if sp:
            head += " " + speaker_badge(sp)
        head += "</div>"
        body = [head, f'<div class="draft-text">“{esc(text)}”</div>']
        if sp:
            actual = (f"; the source attributes it to <b>{esc(sp.actual)}</b>"
                      if sp.actual and sp.verdict != "correct" else "")
            body.append(f'<div class="draft-speaker">The draft says: {esc(sp.claimed or "—")}{actual}</div>')
        if it.diff:
            body.append(diff_html(it.diff))
        for ev in it.evidence[:2]:
            body.append(f'<blockquote class="draft-ev">{esc(" ".join(ev.text.split()))}'
                        f'<span class="draft-src"> — {esc(ev.doc)}, chars {ev.start}–{ev.end}</span>'
                        "</blockquote>")
        if not it.evidence:
            body.append('<div class="draft-none">No source passage found.</div>')
        rows.append(f'<li class="draft-item" data-kind="{it.kind}" data-verdict="{esc(it.verdict or "")}">'
                    + "".join(body) + "</li>")
    return (f'<div class="draft-report"><div class="draft-counts">{len(report.items)} items: {counts}</div>'
            f'<ol class="draft-items">{"".join(rows)}</ol></div>')
