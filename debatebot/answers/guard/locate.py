"""Locating one quotation in one region of a document: exact, after normalisation, or as a near miss
(one clear best window, rapidfuzz), snapped to word boundaries. Offsets are the document's own."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz

from debatebot.core.text import SourceDocument, normalize, normalize_with_map

FUZZY_MIN = 90.0  # partial_ratio score a near miss needs (0-100)
FUZZY_FULL_MIN = 85.0  # full ratio of the quote against the snapped source window
AMBIGUITY_MARGIN = 8.0  # the best window must beat any other window by this much
MIN_FUZZY_CHARS = 20  # shorter quotations must match exactly (after normalisation)
SNAP_CHARS = 14  # how far window edges may move to reach word boundaries


_OPEN_CLOSE = "\"\u201c\u201d\u201e\u00ab\u00bb"
_SINGLE = "'\u2018\u2019"
_ELLIPSIS = re.compile(r"^(?:\.{3}|\u2026|\[\.{3}\]|\[\u2026\])\s*|\s*(?:\.{3}|\u2026|\[\.{3}\]|\[\u2026\])$")
_TRAILING_PUNCT = ".,;:"


@dataclass(frozen=True)
class Match:
    start: int  # offsets in the document's original text
    end: int
    status: Literal["exact", "normalized", "repaired"]
    score: float = 100.0


def clean_quote(text: str) -> str:
    """The quotation without surrounding whitespace, quotation marks and leading/trailing ellipses."""
    t = text.strip()
    for _ in range(3):
        before = t
        t = _ELLIPSIS.sub("", t).strip()
        if t[:1] in _OPEN_CLOSE:
            t = t[1:]
        if t[-1:] in _OPEN_CLOSE:
            t = t[:-1]
        if len(t) >= 2 and t[0] in _SINGLE and t[-1] in _SINGLE:
            t = t[1:-1]
        t = t.strip()
        if t == before:
            break
    return t


def _squeeze_dashes(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Drop spaces next to '-' so "war - time" and "war—time" compare equal; offsets follow."""
    chars: list[str] = []
    offs: list[int] = []
    for i, c in enumerate(text):
        if c == " " and ((chars and chars[-1] == "-") or (i + 1 < len(text) and text[i + 1] == "-")):
            continue
        chars.append(c)
        offs.append(offsets[i])
    return "".join(chars), offs


def _find_normalized(region: str, quote: str) -> tuple[int, int, bool] | None:
    """(start, end, changed) of `quote` in `region` up to quote/dash/space/first-letter-case normalisation."""
    i = region.find(quote)
    if i >= 0:
        return i, i + len(quote), False
    nr = normalize_with_map(region)
    nq = normalize(quote)
    if not nq:
        return None
    texts = [(nr.text, nr.offsets)]
    if "-" in nq or "-" in nr.text:
        squeezed, offs = _squeeze_dashes(nr.text, nr.offsets)
        texts.append((squeezed, offs))
        nq_sq = _squeeze_dashes(nq, list(range(len(nq))))[0]
    for n, (text, offs) in enumerate(texts):
        q = nq if n == 0 else nq_sq
        candidates = [q] + ([q[0].swapcase() + q[1:]] if q[0].isalpha() else [])
        for c in candidates:
            j = text.find(c)
            if j >= 0:
                return offs[j], offs[j + len(c) - 1] + 1, True
    return None


def _word_starts(text: str, lo: int, hi: int) -> list[int]:
    return [i for i in range(max(0, lo), min(len(text), hi) + 1)
            if i < len(text) and text[i] != " " and (i == 0 or text[i - 1] == " " or not text[i - 1].isalnum())
            and text[i].isalnum()]


def _word_ends(text: str, lo: int, hi: int) -> list[int]:
    return [e for e in range(max(1, lo), min(len(text), hi) + 1)
            if text[e - 1] != " " and (e == len(text) or text[e] == " " or not text[e].isalnum())
            and (text[e - 1].isalnum() or text[e - 1] in "\"'!?.)")]


def _fuzzy(region: str, quote: str) -> tuple[int, int, float] | None:
    """One clear best near-verbatim window of `quote` in `region`, or None (absent or ambiguous)."""
    nr = normalize_with_map(region, casefold=True)
    nq = normalize(quote, casefold=True)
    if len(nq) < MIN_FUZZY_CHARS or len(nq) > len(nr.text) + 2:
        return None
    best = fuzz.partial_ratio_alignment(nq, nr.text, score_cutoff=FUZZY_MIN)
    if best is None:
        return None
    ds, de = best.dest_start, best.dest_end
    masked = nr.text[:ds] + "\x00" * (de - ds) + nr.text[de:]
    if fuzz.partial_ratio(nq, masked) > best.score - AMBIGUITY_MARGIN:
        return None  # two places fit about as well: do not guess which one was meant
    # the window can be shorter than the quote at the region's edges: look around both estimates
    n = len(nq)
    starts = _word_starts(nr.text, min(ds, de - n) - SNAP_CHARS, ds + SNAP_CHARS) or [ds]
    ends = _word_ends(nr.text, min(de, ds + n) - SNAP_CHARS, max(de, ds + n) + SNAP_CHARS) or [de]
    scored = [(fuzz.ratio(nq, nr.text[s:e]), -abs((e - s) - len(nq)), -s, s, e)
              for s in starts for e in ends if e - s >= len(nq) // 2]
    if not scored:
        return None
    score, _, _, s, e = max(scored)
    if score < FUZZY_FULL_MIN:
        return None
    a, b = nr.span(s, e)
    return a, b, float(best.score)


def locate(quote: str, doc: SourceDocument, start: int, end: int, *, fuzzy: bool = True) -> Match | None:
    """Where `quote` is in `doc.text[start:end]`: verbatim, normalised, or (if `fuzzy`) a clear near miss."""
    region = doc.text[start:end]
    q = clean_quote(quote)
    if not q:
        return None
    variants = [q]
    if q[-1] in _TRAILING_PUNCT and len(q) > 1:
        variants.append(q.rstrip(_TRAILING_PUNCT).rstrip())  # "..., he said" quoted as "...."
    for v in variants:
        found = _find_normalized(region, v)
        if found:
            a, b, changed = found
            return Match(start + a, start + b, "normalized" if changed or v != quote else "exact")
    if fuzzy:
        near = _fuzzy(region, q)
        if near:
            a, b, score = near
            return Match(start + a, start + b, "repaired", score)
    return None


_ANCHOR = re.compile(r"[^\W_]{3,}")


def locate_in_document(quote: str, doc: SourceDocument, *, max_windows: int = 1000) -> Match | None:
    """`locate` (verbatim up to normalisation, no fuzzy) over a whole document, fast on large ones:
    only windows around occurrences of the quote's longest word (unchanged by normalisation) are searched."""
    q = clean_quote(quote)
    if not q:
        return None
    i = doc.text.find(q)
    if i >= 0:
        return Match(i, i + len(q), "exact")
    words = _ANCHOR.findall(q)[1:]  # the first word may differ in case
    if not words:
        return locate(q, doc, 0, len(doc.text), fuzzy=False) if len(doc.text) <= 20000 else None
    anchor = max(words, key=len)
    span = 2 * len(q) + 16
    pos, n = doc.text.find(anchor), 0
    while pos != -1 and n < max_windows:
        m = locate(q, doc, max(0, pos - span), min(len(doc.text), pos + span), fuzzy=False)
        if m is not None:
            return m
        pos, n = doc.text.find(anchor, pos + 1), n + 1
    return None
