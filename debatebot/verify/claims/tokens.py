"""Claims and evidence as tokens: words with stems, numbers with values, names, and a claim's content
words with their weights."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from debatebot.core.lang import (
    GENERIC_WORDS,
    MAGNITUDE,
    MONTHS,
    NEGATIONS,
    NUMBER_WORDS,
    STOPWORDS,
    stem,
    stems_match,
)
from debatebot.core.text import normalize
from debatebot.verify.claims.limits import GENERIC_WEIGHT, NAME_WEIGHT, NUMBER_WEIGHT

_TOKEN = re.compile(
    r"(?:[A-Za-z]\.)+[A-Za-z]\b\.?"  # dotted acronyms: U.S., U.K, e.g.
    r"|\d+(?:[:/]\d+)+"  # times and fractions (10:30, 24/7): kept as words
    r"|\d+(?:,\d{3})+(?:\.\d+)?(?![\d,])|\d+(?:\.\d+)?(?:st|nd|rd|th)?(?![\d])"  # 600,000  41.3  9th
    r"|n't|[A-Za-z\u00c0-\u024f]+(?:'[a-z]+)?"  # words (don't -> don + n't handled below)
    r"|%"
)


@dataclass(frozen=True)
class Token:
    surface: str  # as written (dots of acronyms removed)
    stem: str  # lowercase, suffix-stripped; numbers as canonical value strings
    pos: int  # token position
    capital: bool  # starts with an upper-case letter
    number: float | None = None
    kind: str = ""  # for numbers: "year" | "month" | "percent" | "ordinal" | "num"


def _fmt_number(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def tokenize(text: str) -> list[Token]:
    """Tokens with stems; numbers parsed (commas, %, 'percent', magnitudes, number words)."""
    text = normalize(text).replace("\u2019", "'")
    raw = [m.group(0) for m in _TOKEN.finditer(text)]
    out: list[Token] = []
    i = 0
    while i < len(raw):
        r = raw[i]
        nxt = raw[i + 1].lower() if i + 1 < len(raw) else ""
        value: float | None = None
        if r[0].isdigit() and not re.search(r"[:/]", r):
            value = float(re.sub(r"(?:st|nd|rd|th)$", "", r).replace(",", ""))
        elif r.lower() in NUMBER_WORDS:
            value = float(NUMBER_WORDS[r.lower()])
        elif r in MONTHS:  # capitalised only: "may" is a verb
            out.append(Token(r, f"month{MONTHS[r]}", len(out), True, float(MONTHS[r]), "month"))
            i += 1
            continue
        if value is not None:
            kind = "num"
            is_digit = r[0].isdigit()
            if nxt in MAGNITUDE and (nxt not in {"m", "k"} or is_digit):
                value *= MAGNITUDE[nxt]
                i += 1
            elif nxt in {"%", "percent"} or (nxt == "per" and i + 2 < len(raw) and raw[i + 2].lower() == "cent"):
                kind = "percent"
                i += 2 if nxt == "per" else 1
            elif is_digit and re.fullmatch(r"1[5-9]\d\d|20\d\d", r):
                kind = "year"
            elif is_digit and r[-1].isalpha():
                kind = "ordinal"
            s = _fmt_number(value)
            out.append(Token(r, s, len(out), False, value, kind))
            i += 1
            continue
        if r == "%":
            i += 1
            continue
        if r.lower() == "n't":
            out.append(Token("n't", "not", len(out), False))
            i += 1
            continue
        surface = r.replace(".", "") if "." in r else r
        if surface.lower().endswith("n't"):
            surface = surface[:-3]
        out.append(Token(surface, stem(surface), len(out), surface[:1].isupper()))
        i += 1
    return out


def _acronyms(tokens: list[Token]) -> set[str]:
    """Initials of runs of capitalised words ("United States" -> "us"), for acronym matching."""
    out: set[str] = set()
    run: list[Token] = []
    for t in tokens + [Token("", "", -1, False)]:
        if t.capital and t.stem not in STOPWORDS:
            run.append(t)
            continue
        if len(run) >= 2:
            for a in range(len(run)):
                for b in range(a + 2, len(run) + 1):
                    out.add("".join(x.surface[0] for x in run[a:b]).lower())
        run = []
    return out


@dataclass(frozen=True)
class TextTokens:
    tokens: list[Token]
    stems: set[str]
    acronyms: set[str]
    numbers: set[str]

    @staticmethod
    @lru_cache(maxsize=50_000)
    def of(text: str) -> TextTokens:
        """Parsed text (cached: the same candidate sentences are parsed for every atomic claim)."""
        toks = tokenize(text)
        return TextTokens(toks, {t.stem for t in toks}, _acronyms(toks), {t.stem for t in toks if t.number is not None})

    def has(self, stem_: str) -> bool:
        if stem_ in self.stems or stem_ in self.acronyms:
            return True
        if len(stem_) >= 4 and not stem_.isdigit():
            return any(stems_match(stem_, s) for s in self.stems)
        return False


@dataclass
class ClaimWord:
    token: Token
    weight: float
    entity: bool


def is_acronym(t: Token) -> bool:
    return len(t.surface) >= 2 and t.surface.isupper()


def claim_words(claim: TextTokens) -> list[ClaimWord]:
    words: list[ClaimWord] = []
    for t in claim.tokens:
        low = t.surface.lower()
        if t.number is not None:
            words.append(ClaimWord(t, NUMBER_WEIGHT, False))
        elif (low in STOPWORDS and not is_acronym(t)) or low in NEGATIONS or (len(low) < 2 and not t.capital):
            continue
        else:
            entity = t.capital
            weight = NAME_WEIGHT if entity else (GENERIC_WEIGHT if low in GENERIC_WORDS else 1.0)
            words.append(ClaimWord(t, weight, entity))
    return words


def matched_words(words: list[ClaimWord], ev: TextTokens, claim: TextTokens) -> list[bool]:
    """Which claim words the evidence covers; a capitalised run counts if its acronym is there."""
    hit = [ev.has(w.token.stem) for w in words]
    # claim "United States" vs evidence "U.S.": mark the run when its acronym is an evidence token
    by_pos = {w.token.pos: k for k, w in enumerate(words)}
    run: list[int] = []
    for t in claim.tokens + [Token("", "", -1, False)]:
        if t.capital and t.pos in by_pos:
            run.append(t.pos)
            continue
        if len(run) >= 2:
            acr = "".join(claim.tokens[p].surface[0] for p in run).lower()
            if acr in ev.stems:
                for p in run:
                    hit[by_pos[p]] = True
        run = []
    return hit


def weighted_coverage(words: list[ClaimWord], hits: Sequence[bool]) -> float:
    total = sum(w.weight for w in words)
    return sum(w.weight for w, h in zip(words, hits) if h) / total if total else 0.0
