"""Quoted text inside an answer's prose (every quotation style): found in the sources or flagged."""

from __future__ import annotations

import re
from dataclasses import dataclass

from debatebot.answers.guard.locate import clean_quote, locate, locate_in_document
from debatebot.core.models import Passage, Point
from debatebot.core.text import SourceDocument, clip

# Quoted spans in prose, in every quotation style an answer may use: “…”, "…", «…» (with or without the
# French inner spaces), „…“ / „…”, and ‘…’ (an apostrophe inside a word, as in ‘the nation’s’, does not close it).
_INLINE = re.compile(
    r"\u201c([^\u201c\u201d\n]{2,600})\u201d"
    r"|(?<![\w\"])\"([^\"\n]{2,600})\"(?![\w\"])"
    r"|\u00ab[ \u00a0\u202f]?([^\u00ab\u00bb\n]{2,600}?)[ \u00a0\u202f]?\u00bb"
    r"|\u201e([^\u201e\u201c\u201d\n]{2,600})[\u201c\u201d]"
    r"|(?<!\w)\u2018((?:[^\u2018\u2019\n]|\u2019(?=\w)){2,600})\u2019(?!\w)")
# Opening marks and what closes them, for a stream that must not show a quotation before it is checked
_OPENERS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c\u201d", "\u2018": "\u2019", '"': '"'}
_BLOCK = re.compile(r"^[ \t]*>[ \t]?(.+)$", re.M)
_MARKERS = re.compile(r"\s*\[(?:P?\d+)(?:\s*,\s*P?\d+)*\]")
_ATTRIBUTION = re.compile(r"\s+[\u2014\u2013-]{1,2}\s*[^\u2014\u2013]{1,80}$")
UNVERIFIED_FLAG = " ⚠️*(not found verbatim in the sources)*"


@dataclass(frozen=True)
class ProseQuote:
    text: str
    start: int  # span of the quoted text in the markdown
    end: int
    flag_at: int  # where a warning goes: after the closing mark, or at the end of the blockquote line
    verified: bool
    doc: str | None = None
    doc_start: int | None = None
    doc_end: int | None = None


def check_markdown_quotes(answer_md: str, passages: list[Passage], docs: dict[str, SourceDocument], *,
                          whole_documents: bool = True) -> list[ProseQuote]:
    """Every “quoted” span and every `> blockquote` line in `answer_md`, and whether it is verbatim
    (up to normalisation) in a passage, or anywhere in `docs` when `whole_documents`. No fuzzy
    matching here: text shown in quotation marks must really be in the sources."""
    found: list[tuple[str, int, int, int]] = []
    blocks = [(m.start(1), m.end(1), m.group(1)) for m in _BLOCK.finditer(answer_md)]
    for a, b, line in blocks:
        text = _ATTRIBUTION.sub("", _MARKERS.sub("", line)).strip()
        if _INLINE.search(line) is None and clean_quote(text):
            found.append((text, a, b, b))
    for m in _INLINE.finditer(answer_md):
        g = next(i for i in range(1, (m.re.groups or 0) + 1) if m.group(i) is not None)
        found.append((_MARKERS.sub("", m.group(g)), m.start(g), m.end(g), m.end()))
    out: list[ProseQuote] = []
    for text, a, b, flag_at in sorted(found, key=lambda t: t[1]):
        hit = _find_anywhere(text, passages, docs, whole_documents)
        out.append(ProseQuote(text, a, b, flag_at, hit is not None, *(hit or (None, None, None))))
    return out


def _find_anywhere(text: str, passages, docs, whole_documents: bool) -> tuple[str, int, int] | None:
    for p in passages:
        doc = docs.get(p.doc)
        m = locate(text, doc, p.start, p.end, fuzzy=False) if doc is not None else None
        if m is not None:
            return p.doc, m.start, m.end
    if whole_documents:
        for doc_id, doc in docs.items():
            m = locate_in_document(text, doc)
            if m is not None:
                return doc_id, m.start, m.end
    return None


def flag_unverified_quotes(answer_md: str, passages: list[Passage],
                           docs: dict[str, SourceDocument]) -> tuple[str, list[str]]:
    """`answer_md` with UNVERIFIED_FLAG after each quoted span not in the sources, and one notice each."""
    bad = [q for q in check_markdown_quotes(answer_md, passages, docs) if not q.verified]
    if not bad:
        return answer_md, []
    out, pos = [], 0
    for q in sorted(bad, key=lambda q: q.flag_at):
        out.append(answer_md[pos:q.flag_at])
        out.append(UNVERIFIED_FLAG)
        pos = q.flag_at
    out.append(answer_md[pos:])
    notices = [f"The answer quotes “{clip(q.text)}”, which is not found verbatim in the sources (flagged)."
               for q in bad]
    return "".join(out), notices


def unclosed_quote_at(text: str) -> int | None:
    """Where a quotation that `text` opens but does not yet close begins (None: every quotation in it is
    closed). A stream holds the text back from there until the quotation closes and can be checked.

    Follows `_INLINE`: a quotation never spans a line break or more than 600 characters; straight
    and single opening marks count only after a non-word character; ’ inside a word is an apostrophe."""
    open_at, closers = None, ""
    for i, c in enumerate(text):
        if open_at is None:
            if c in _OPENERS and (c not in "\"\u2018" or i == 0 or not text[i - 1].isalnum()):
                open_at, closers = i, _OPENERS[c]
            continue
        if c == "\n" or i - open_at > 602:
            open_at = None
        elif c in closers:
            nxt = text[i + 1] if i + 1 < len(text) else None
            if c == "\u2019" and nxt is None:
                continue  # an apostrophe or the closing mark: the next character decides
            if c == "\u2019" and nxt is not None and nxt.isalnum():
                continue  # an apostrophe inside a word
            open_at = None
    return open_at


def flag_unverified_headlines(points: list[Point], passages: list[Passage],
                              docs: dict[str, SourceDocument]) -> tuple[list[Point], list[str]]:
    """Quotations inside a point's headline (its claim) get the same check as prose: one that is not
    verbatim in the sources is flagged in the headline and reported."""
    out, notices = [], []
    for p in points:
        claim, flagged = flag_unverified_quotes(p.claim, passages, docs)
        notices += flagged
        out.append(p.model_copy(update={"claim": claim}) if flagged else p)
    return out, notices


