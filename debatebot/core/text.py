"""Source text model: documents, paragraphs and sentences with character offsets into the
original text, and the normalisation used only for matching (never for what is shown).

The sentence splitter is written here rather than taken from pysbd/nltk: pysbd is too slow for the
indexing throughput bar (it would cost more than the embedding itself on a 4 MB corpus) and nltk's
punkt needs a data download that fails offline.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cached_property

# ---------------------------------------------------------------------------------------------
# Normalisation for matching
# ---------------------------------------------------------------------------------------------
_ONE_TO_ONE = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\u200a": " ", "\u2002": " ", "\u2003": " ",
    "\t": " ", "\r": " ", "\n": " ", "\f": " ", "\v": " ", "\u2028": " ", "\u2029": " ",
    "\u200b": " ", "\ufeff": " ",
}
_TRANSLATE = str.maketrans(_ONE_TO_ONE)
_SPACE_RUN = re.compile(r" {2,}")


def normalize(text: str, *, casefold: bool = False) -> str:
    """Quotes straightened, dashes to '-', every space-like character to one space, trimmed."""
    out = _SPACE_RUN.sub(" ", text.translate(_TRANSLATE)).strip()
    return out.lower() if casefold else out


@dataclass(frozen=True)
class NormalizedText:
    """`text` normalised, with `offsets[i]` = index in the original of normalised char i.

    `offsets` has one extra entry (the original end) so spans map with `span(i, j)`."""

    text: str
    offsets: list[int]

    def span(self, i: int, j: int) -> tuple[int, int]:
        """Original [start, end) of the normalised slice [i, j)."""
        if j <= i:
            return self.offsets[i], self.offsets[i]
        return self.offsets[i], self.offsets[j - 1] + 1


def normalize_with_map(text: str, *, casefold: bool = False) -> NormalizedText:
    t = text.translate(_TRANSLATE)
    if casefold:
        lowered = t.lower()
        t = lowered if len(lowered) == len(t) else t  # a few characters change length when lowered
    pieces: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _SPACE_RUN.finditer(t):
        a, b = m.span()
        pieces.append(t[pos : a + 1])
        offsets.extend(range(pos, a + 1))
        pos = b
    pieces.append(t[pos:])
    offsets.extend(range(pos, len(t)))
    norm = "".join(pieces)
    # trim: leading/trailing space
    lead = len(norm) - len(norm.lstrip(" "))
    trail = len(norm) - len(norm.rstrip(" "))
    if lead or trail:
        norm = norm[lead : len(norm) - trail]
        offsets = offsets[lead : len(offsets) - trail]
    offsets.append(offsets[-1] + 1 if offsets else 0)
    return NormalizedText(norm, offsets)


# ---------------------------------------------------------------------------------------------
# Paragraphs and sentences
# ---------------------------------------------------------------------------------------------
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm",
    "maj", "rep", "sen", "gov", "pres", "rev", "hon", "messrs", "mt", "ft", "no", "nos", "vol", "fig",
    "inc", "ltd", "co", "corp", "bros", "vs", "v", "etc", "al", "approx", "dept", "est", "jan", "feb",
    "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s", "u.k",
    "u.n", "u.s.a", "d.c", "a.m", "p.m", "ph.d", "calif", "mass", "penn", "wash", "ariz", "ala", "ark",
    "conn", "fla", "ill", "kan", "ky", "md", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla",
    "ore", "tenn", "tex", "va", "vt", "wis", "wyo", "colo", "del", "ga", "ind", "la",
}
# A boundary candidate: terminal punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"([.!?\u2026]+)([\"'\u201d\u2019)\]]*)(\s+)")
_NEXT_START = re.compile(r"[\"'\u201c\u2018(\[]*[A-Z0-9\u00c0-\u017f]")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")
_PARA_BLANK = re.compile(r"\n[ \t\u00a0]*\n\s*")
_LINE = re.compile(r"\n")


@dataclass(frozen=True)
class Paragraph:
    index: int
    start: int
    end: int


@dataclass(frozen=True)
class Sentence:
    id: int  # position of the sentence in its document, 0-based
    paragraph: int
    start: int
    end: int


def _is_abbreviation(text: str, punct_start: int) -> bool:
    m = _WORD_BEFORE.search(text, max(0, punct_start - 12), punct_start)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    if word in _ABBREVIATIONS:
        return True
    # single initials ("J. Smith") and dotted acronyms ("U.S", "N.A.T.O")
    return len(word) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]", word))


def _inside_short_quote(text: str, sent_start: int, pos: int) -> bool:
    before = text[sent_start:pos]
    if before.count("\u201c") <= before.count("\u201d"):
        return False
    after = text[pos + 1 : pos + 40]
    close = after.find("\u201d")
    return close != -1 and not any(c in after[:close] for c in ".!?")


def split_paragraphs(text: str) -> list[Paragraph]:
    """Blank-line separated blocks; a text without blank lines has one paragraph per line."""
    sep = _PARA_BLANK if _PARA_BLANK.search(text.strip()) else _LINE
    out: list[Paragraph] = []
    pos = 0
    for m in list(sep.finditer(text)) + [None]:
        a, b = (m.start(), m.end()) if m else (len(text), len(text))
        s, e = pos, a
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append(Paragraph(len(out), s, e))
        pos = b
    return out


def split_sentences_in(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside text[start:end] (trimmed of surrounding whitespace)."""
    spans: list[tuple[int, int]] = []
    s = start
    for m in _BOUNDARY.finditer(text, start, end):
        punct, closing = m.group(1), m.group(2)
        cut = m.start(3)
        nxt = m.end()
        if nxt >= end:
            break
        if not _NEXT_START.match(text, nxt):
            continue
        if punct in ("!", "?") and not closing and _inside_short_quote(text, s, m.start(1)):
            # “Stop! Mines” : an exclamation inside a short quoted phrase does not end the sentence
            continue
        if punct == "." and not closing and _is_abbreviation(text, m.start(1)):
            # "Mr. Smith", "U.S. officials": not a boundary (a dotted acronym at sentence end is rare)
            continue
        if cut > s:
            spans.append((s, cut))
        s = nxt
    while s < end and text[s].isspace():
        s += 1
    e = end
    while e > s and text[e - 1].isspace():
        e -= 1
    if e > s:
        spans.append((s, e))
    return spans


# ---------------------------------------------------------------------------------------------
# Documents
# ---------------------------------------------------------------------------------------------
@dataclass
class SourceDocument:
    """A source text exactly as read, with its structure. `text` is never altered."""

    doc_id: str  # path relative to where it was indexed from, e.g. "seeds/article.txt"
    title: str
    text: str
    paragraphs: list[Paragraph] = field(default_factory=list)
    sentences: list[Sentence] = field(default_factory=list)

    @classmethod
    def from_text(cls, doc_id: str, text: str, title: str | None = None) -> SourceDocument:
        paragraphs = split_paragraphs(text)
        sentences: list[Sentence] = []
        for p in paragraphs:
            for a, b in split_sentences_in(text, p.start, p.end):
                sentences.append(Sentence(len(sentences), p.index, a, b))
        return cls(doc_id, title or guess_title(text, doc_id), text, paragraphs, sentences)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8", "surrogatepass")).hexdigest()

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    def sentence_text(self, s: Sentence) -> str:
        return self.text[s.start : s.end]

    def sentence_at(self, offset: int) -> Sentence | None:
        i = bisect_right(self._sentence_starts, offset) - 1
        if i < 0:
            return None
        return self.sentences[i]

    def paragraph_at(self, offset: int) -> int:
        return max(0, bisect_right(self._paragraph_starts, offset) - 1)

    def sentences_between(self, start: int, end: int) -> list[Sentence]:
        """Sentences overlapping [start, end)."""
        i = max(0, bisect_right(self._sentence_starts, start) - 1)
        out = []
        for s in self.sentences[i:]:
            if s.start >= end:
                break
            if s.end > start:
                out.append(s)
        return out


def guess_title(text: str, doc_id: str) -> str:
    lines = text.lstrip().split("\n", 2)
    first = lines[0].strip().lstrip("#").strip()
    if 0 < len(first) <= 160 and not first.endswith((".", "?", "!")):
        return first
    # a short first line standing alone (a blank line after it) is a title, even with a full stop
    alone = len(lines) > 1 and not lines[1].strip()
    if 0 < len(first) <= 160 and len(first.split()) <= 20 and alone:
        return first.rstrip(".")
    name = doc_id.rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0].replace("_", " ").replace("-", " ") or doc_id


def clip(text: str, n: int = 90) -> str:
    """`text` on one line, cut to at most `n` characters with an ellipsis (for messages and notices)."""
    t = " ".join(str(text or "").split())
    return t if len(t) <= n else t[: n - 1].rstrip() + "\u2026"
