"""Sentence-level evidence: the verbatim source sentences behind retrieved passages, with their
embeddings, stance, speaker and a short label. Used by the offline engine (and the LLM path for
context)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from debatebot.core.lang import SEARCH_STOPWORDS
from debatebot.core.models import Passage, Quote
from debatebot.core.text import Sentence, SourceDocument
from debatebot.corpus.embeddings import Embedder


@dataclass
class Evidence:
    doc: SourceDocument
    sentence: Sentence
    rank: int  # rank of the passage it came from (0 = best)
    passage_id: str | None = None
    vec: np.ndarray | None = None
    stance: float = 0.0  # judge: P(pro) - P(con) towards the motion
    relevance: float = 0.0  # judge: 1 - P(neither)
    p_pro: float = 0.0
    p_con: float = 0.0
    speaker: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.doc.text[self.sentence.start : self.sentence.end]

    @property
    def key(self) -> tuple[str, int]:
        return (self.doc.doc_id, self.sentence.id)

    def quote(self) -> Quote:
        return Quote(text=self.text, doc=self.doc.doc_id, start=self.sentence.start, end=self.sentence.end,
                     paragraph=self.sentence.paragraph, title=self.doc.title, passage_id=self.passage_id,
                     speaker=self.speaker)


def is_heading(text: str) -> bool:
    """A title or heading, not a statement: short and unpunctuated, or short and in Title Case
    ("Paris Terror Attacks Highlight Threat Posed by NRA.")."""
    t = text.strip()
    words = t.split()
    if len(words) >= 16:
        return False
    if not t.endswith((".", "!", "?", "\u201d", '"', "'", "\u2019", ":")):
        return True
    long_words = [w for w in words if len(w.strip(".,:;!?\u201c\u201d\"'")) > 3]
    caps = sum(1 for w in long_words if w.strip("\u201c\"'(")[:1].isupper())
    return len(long_words) >= 4 and caps >= 0.8 * len(long_words)


def embed_sentences(embedder: Embedder, items: list[Evidence]) -> None:
    """Fill `vec` for each item (the offline engine passes a CachedEmbedder, so repeats are free)."""
    todo = [ev for ev in items if ev.vec is None]
    if todo:
        for ev, v in zip(todo, embedder.embed([ev.text for ev in todo])):
            ev.vec = v


def sentence_pool(passages: list[Passage], docs: dict[str, SourceDocument], *, skip_headings: bool = True,
                  min_words: int = 5) -> list[Evidence]:
    """Each sentence of the retrieved passages once, in retrieval order."""
    seen: set[tuple[str, int]] = set()
    out: list[Evidence] = []
    for rank, p in enumerate(passages):
        doc = docs.get(p.doc)
        if doc is None:
            continue
        for s in doc.sentences_between(p.start, p.end):
            if (doc.doc_id, s.id) in seen:
                continue
            text = doc.text[s.start : s.end]
            if skip_headings and is_heading(text):
                continue
            if len(text.split()) < min_words:
                continue
            seen.add((doc.doc_id, s.id))
            out.append(Evidence(doc, s, rank, p.id))
    return out


_WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*")


def content_words(text: str) -> set[str]:
    return {w.strip("'-") for w in _WORD.findall(text.lower()) if w not in SEARCH_STOPWORDS and len(w) > 2}


def lexical_overlap(query: str, text: str) -> float:
    q = content_words(query)
    if not q:
        return 0.0
    t = content_words(text)
    stem = lambda w: w[:6]  # noqa: E731 - crude prefix match: "ratified"/"ratification"
    ts = {stem(w) for w in t}
    return sum(1 for w in q if w in t or stem(w) in ts) / len(q)


def cosine_to(embedder: Embedder, query: str, items: list[Evidence]) -> np.ndarray:
    if not items:
        return np.zeros(0, dtype=np.float32)
    embed_sentences(embedder, items)
    q = embedder.embed([query])[0]
    return np.array([float(ev.vec @ q) for ev in items], dtype=np.float32)


# ---- short claims -----------------------------------------------------------------------
_LEAD = re.compile(
    r"^(however|moreover|meanwhile|in addition|additionally|furthermore|as a result|indeed|still|yet|but|and|"
    r"similarly|likewise|in response to these challenges|in response|instead|overall|thus|therefore|so)\s*,?\s+",
    re.I,
)
_CUT = re.compile(r"(,\s+(?:which|while|given|especially|including|such as|meaning|as well as)\b|\u2014|;|:\s)")
_COMMA = re.compile(r",\s+")
_ASIDE = re.compile(r",\s+(?:which|who|whose|including|a|an|the|especially|such as)\b[^,;:\u2014]{3,120},\s+"
                    r"|\s*\u2014[^\u2014]{3,80}\u2014\s*")


_QUOTED = re.compile(r"[\u201c\"]([^\u201d\"]{25,})[\u201d\"]")
_REPORTED = re.compile(
    r"^(?P<who>.{3,160}?)\b(?:argue[sd]?|sa(?:id|ys|y)|stated|suggest(?:ed|s|ing)?|recommend(?:ed|s)?|warn(?:ed|s)?|"
    r"caution(?:ed|s)?|emphasi[sz](?:ed|es)|not(?:ed|es)|claim(?:ed|s)?|assert(?:ed|s|ing)?|believe[sd]?|insist(?:ed|s)?|"
    r"asserting|arguing|contend(?:ed|s)?)\s+that\s+(?P<what>.{20,})$",
    re.I,
)


def condense(text: str, max_words: int = 22) -> str:
    """A short claim from a sentence: the quoted words or the reported content when there are
    any ("X argued that Y" -> Y), leading connectives dropped, cut at a clause boundary.
    Only words of the sentence are used (an extractive headline, never shown as a quotation)."""
    t = " ".join(text.split()).strip()
    q = _QUOTED.search(t)
    if q and len(q.group(1).split()) >= 6:
        t = q.group(1).strip(" ,.…")
    else:
        m = _REPORTED.match(t)
        if m and len(m.group("who").split()) <= 25:
            t = m.group("what")
    t = t.strip("\u201c\u201d\"' ")
    t = _LEAD.sub("", t)
    t = t[:1].upper() + t[1:]
    words = t.split()
    if len(words) <= max_words:
        return t.rstrip(".")
    # an aside between commas or dashes ("The mayor, who was elected in 2019, said …") is elided,
    # marked "…" where it was, so the headline keeps the sentence's own claim
    short = _ASIDE.sub(" … ", t)
    if short != t:
        t = " ".join(short.split())
        words = t.split()
        if len(words) <= max_words:
            return t.rstrip(".")
    # the longest clause that fits: cut at a clause boundary (a strong one, else any comma)
    for rx in (_CUT, _COMMA):
        cuts = [m.start() for m in rx.finditer(t) if 5 <= len(t[: m.start()].split()) <= max_words]
        if cuts:
            return t[: max(cuts)].rstrip(" ,.") + "…"
    return " ".join(words[:max_words]).rstrip(" ,.") + "…"


_NUMBER = re.compile(
    r"(?<![\w.])(?:\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s?(?:%|percent|per cent))?(?:-(?:mile|kilometer|kilometre|km|year|day|"
    r"week|month|hour|meter|metre|foot|feet))?|\b(?:millions?|billions?|thousands?|hundreds?|half a \w+|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|twenty|fifty|hundred)\s+(?:weeks?|months?|years?|"
    r"days?|decades?|percent|nations|countries|members|states))\b",
    re.I,
)


def around(text: str, phrase: str, words: int = 9) -> str:
    """A short window of the sentence around `phrase` (for tables), with ellipses where cut."""
    i = text.find(phrase)
    if i < 0:
        return condense(text, 18)
    head, tail = text[:i], text[i + len(phrase):]
    before, after = head.split(), tail.split()
    left, right = before[-words:], after[:words]
    # the phrase stays glued to what touches it in the sentence ("30-minute", "(164)")
    out = (" ".join(left) + (" " if head[-1:].isspace() else "") + phrase
           + (" " if tail[:1].isspace() else "") + " ".join(right))
    return ("…" if len(before) > words else "") + out.strip(" ,;") + ("…" if len(after) > words else "")


_TAG = re.compile(r"<[^<>]{0,400}>")
_MONTH_DAY = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$")


def figures_in(text: str) -> list[str]:
    """The figures a sentence states: not markup attributes (ids, timestamps in <tags>), not numbers of
    nine or more bare digits (identifiers), not the day of a date ("November 18")."""
    clean = _TAG.sub(lambda m: " " * len(m.group(0)), text)
    out = []
    for m in _NUMBER.finditer(clean):
        f = m.group(0)
        if re.fullmatch(r"\d{9,}", f) or _MONTH_DAY.search(clean[max(0, m.start() - 12) : m.start()]):
            continue
        out.append(f)
    return out


def key_figures(ranked: list[Evidence], limit: int = 12) -> list[tuple[str, Evidence]]:
    """Up to `limit` distinct figures with the sentence stating each, from the sentences in the order
    given (closest to the topic first): no judgement needed."""
    figs: list[tuple[str, Evidence]] = []
    seen: set[str] = set()
    for ev in ranked:
        for f in figures_in(ev.text):
            if f not in seen and len(figs) < limit:
                seen.add(f)
                figs.append((f, ev))
        if len(figs) >= limit:
            break
    return figs
