"""Offline claim checking: split a claim, rank evidence sentences, and judge the claim against them.

The verdict comes from the trained judge (debatebot.judge: entailment / contradiction of each
evidence sentence, and of the best pairs, towards the claim), plus one hand-written check: another
number or date in the claim's slot. Evidence is ranked by BM25, word coverage and embeddings.

Verdicts: "supported", "contradicted", "partly_supported", "not_in_sources".

Written by hand (and why): the tokeniser/suffix stripper, because PyStemmer/nltk are not
dependencies and a few suffix rules are enough for matching; the number parser, because no
dependency reads "600,000", "41.3 %" and "1.5 million" alike; the small word lists, because they are
constants rather than algorithms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal, Sequence

import bm25s
import numpy as np
from pydantic import BaseModel, Field

from ..embeddings import Embedder
from ..errors import InputError
from ..text import normalize

Verdict = Literal["supported", "contradicted", "partly_supported", "not_in_sources"]
VERDICTS: tuple[str, ...] = ("supported", "contradicted", "partly_supported", "not_in_sources")

# ---------------------------------------------------------------------------------------------
# Tunable thresholds (tuned on the WiCE / FRANK dev splits only, with general rules)
# ---------------------------------------------------------------------------------------------
ENTAIL_MIN = 0.60  # judge entailment probability for "supported" (precision first)
CONTRA_MIN = 0.60  # judge contradiction probability for "contradicted"
PARTLY_ENTAIL = 0.25  # judge entailment for "partly supported"
COMBINE_TOP = 3  # the best sentences also judged in pairs (facts spread over two sentences)
SUPPORTED_COVERAGE = 0.80  # the explicit negation check needs the claim this covered
PARTLY_COVERAGE = 0.45  # share of the claim's words in the evidence: below this (and little entailment) not in the sources
ALIGNED_COVERAGE = 0.5  # a sentence "talks about the claim" (for contradiction checks)
NAME_WEIGHT = 1.5  # coverage weight of a capitalised word
NUMBER_WEIGHT = 2.0  # coverage weight of a number
GENERIC_WEIGHT = 0.5  # coverage weight of a common word (_GENERIC)
MAX_EVIDENCE = 4  # sentences a verdict may combine
EXTRA_EVIDENCE = 2  # candidates beyond the top k judged because they hold a claim name or number
NUMBER_SLOT_COVERAGE = 0.75  # a different number contradicts when the rest of the claim is this covered
RRF_K = 10  # reciprocal rank fusion constant (small lists)

# ---------------------------------------------------------------------------------------------
# Word lists
# ---------------------------------------------------------------------------------------------
_STOP = frozenset(
    """a an the and or but nor if then than so as of at by for from in into on onto to with without within
    about above across after against along among around before behind below beneath beside between beyond
    during except inside near off out outside over past since through throughout till toward towards under
    until up upon via be is are was were been being am do does did doing done have has had having will would
    shall should can could may might must it its it's this that these those there here which who whom whose
    what when where why how he she they we you i me him her them us our your their his my mine ours yours
    theirs himself herself itself themselves also just only very too such own same other another each both
    either neither any many much more several few s t 's said says say according while whereas although though
    because however even still yet already well now currently ever again once one's being""".split()
)
# Common words that carry little of a claim's content (weighted GENERIC_WEIGHT in coverage).
_GENERIC = frozenset(
    """able across actually additionally almost alone along already although always among amongst amount
    another anyhow anyone anything anyway anywhere around back became become becomes becoming beforehand
    behind beside besides bottom call called come came could describe detail did done down due during eg
    else elsewhere empty enough etc even every everyone everything everywhere find first former formerly
    front full further get give go going had hence hereafter hereby herein hereupon indeed interest
    kind last latter latterly least less like made make making many meanwhile mostly move must name namely
    next noone often otherwise part per perhaps please put rather really regarding seem seemed seeming seems
    serious show side since sincere something sometime sometimes somewhere take taken thereafter thereby
    therefore thereupon thus together top toward twelve various whatever whence whenever whereafter whereby
    wherein whereupon wherever whether whither whoever whole whom within would year years time times
    later known well way ways new old including include includes included use used using thing things instead""".split()
)
_NEGATIONS = frozenset(
    "not no never n't none nobody nothing neither nor cannot without non lack lacks lacked refused "
    "refuses denied denies failed fails".split()
)
_QUANT_ALL = frozenset("all every each entire whole always".split())
_QUANT_SOME = frozenset("some several few many most part partly partially sometimes except".split())
_QUANT_NONE = frozenset("none no never nobody nothing".split())
# Antonym stems (both directions are added below).
_ANTONYMS_RAW = [
    ("increase", "decrease"), ("rise", "fall"), ("rose", "fell"), ("grow", "shrink"), ("win", "lose"),
    ("won", "lost"), ("support", "oppose"), ("accept", "reject"), ("join", "leave"), ("joined", "left"),
    ("allow", "ban"), ("allow", "prohibit"), ("permit", "prohibit"), ("approve", "reject"), ("higher", "lower"),
    ("more", "less"), ("more", "fewer"), ("larger", "smaller"), ("before", "after"), ("ratify", "withdraw"),
    ("open", "close"), ("gain", "lost"), ("born", "died"), ("alive", "dead"), ("first", "last"),
    ("buy", "sell"), ("bought", "sold"), ("strengthen", "weaken"), ("expand", "reduce"), ("begin", "end"),
]
_ANTONYMS: dict[str, set[str]] = {}


def _antonyms(stem_: str) -> set[str]:
    """Stems of the antonyms of a stem (table above, matched on stems)."""
    if not _ANTONYMS:
        for x, y in _ANTONYMS_RAW:
            _ANTONYMS.setdefault(stem(x), set()).add(stem(y))
            _ANTONYMS.setdefault(stem(y), set()).add(stem(x))
    return {a for key, ants in _ANTONYMS.items() if _stems_match(key, stem_) for a in ants}


_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items()) if m != "May"})
_MAGNITUDE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3}

# Clause-verb cues used (conservatively) by split_claim.
_AUX = frozenset(
    "is are was were has have had will would can could did does do shall should may might must "
    "said says say told made took gave went won lost held left met led began became came found got built "
    "sent spent paid sold bought brought thought rose fell grew saw wrote ran laid kept set put cut".split()
)
_SUBJECT_START = frozenset("he she they it we i you the this that these those his her their its a an".split())

# ---------------------------------------------------------------------------------------------
# Tokens
# ---------------------------------------------------------------------------------------------
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


def stem(word: str) -> str:
    """Lowercase + simple suffix stripping (lemma-ish; over-stripping is fine for matching)."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or w.isdigit():
        return w
    for suf, rep, min_len in (
        ("ies", "y", 5), ("ied", "y", 5), ("sses", "ss", 5), ("ness", "", 7), ("ments", "", 8), ("ment", "", 7),
        ("ingly", "", 8), ("edly", "", 7), ("ings", "", 6), ("ing", "", 6), ("ed", "", 5), ("ly", "", 6),
        ("es", "", 6), ("s", "", 4),
    ):
        if w.endswith(suf) and len(w) >= min_len and not (suf == "s" and w.endswith(("ss", "us", "is"))):
            w = w[: len(w) - len(suf)] + rep
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":  # running -> runn -> run
        w = w[:-1]
    if len(w) > 4 and w.endswith("e"):  # decrease / decreas
        w = w[:-1]
    return w


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
        elif r.lower() in _NUMBER_WORDS:
            value = float(_NUMBER_WORDS[r.lower()])
        elif r in _MONTHS:  # capitalised only: "may" is a verb
            out.append(Token(r, f"month{_MONTHS[r]}", len(out), True, float(_MONTHS[r]), "month"))
            i += 1
            continue
        if value is not None:
            kind = "num"
            is_digit = r[0].isdigit()
            if nxt in _MAGNITUDE and (nxt not in {"m", "k"} or is_digit):
                value *= _MAGNITUDE[nxt]
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
        if t.capital and t.stem not in _STOP:
            run.append(t)
            continue
        if len(run) >= 2:
            for a in range(len(run)):
                for b in range(a + 2, len(run) + 1):
                    out.add("".join(x.surface[0] for x in run[a:b]).lower())
        run = []
    return out


def _stems_match(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 5 and not short.isdigit()


@dataclass(frozen=True)
class _Text:
    tokens: list[Token]
    stems: set[str]
    acronyms: set[str]
    numbers: set[str]

    @staticmethod
    @lru_cache(maxsize=50_000)
    def of(text: str) -> "_Text":
        """Parsed text (cached: the same candidate sentences are parsed for every atomic claim)."""
        toks = tokenize(text)
        return _Text(toks, {t.stem for t in toks}, _acronyms(toks), {t.stem for t in toks if t.number is not None})

    def has(self, stem_: str) -> bool:
        if stem_ in self.stems or stem_ in self.acronyms:
            return True
        if len(stem_) >= 4 and not stem_.isdigit():
            return any(_stems_match(stem_, s) for s in self.stems)
        return False


@dataclass
class _ClaimWord:
    token: Token
    weight: float
    entity: bool


def _is_acronym(t: Token) -> bool:
    return len(t.surface) >= 2 and t.surface.isupper()


def _content_words(claim: _Text) -> list[_ClaimWord]:
    words: list[_ClaimWord] = []
    for t in claim.tokens:
        low = t.surface.lower()
        if t.number is not None:
            words.append(_ClaimWord(t, NUMBER_WEIGHT, False))
        elif (low in _STOP and not _is_acronym(t)) or low in _NEGATIONS or (len(low) < 2 and not t.capital):
            continue
        else:
            entity = t.capital
            weight = NAME_WEIGHT if entity else (GENERIC_WEIGHT if low in _GENERIC else 1.0)
            words.append(_ClaimWord(t, weight, entity))
    return words


def _matched(words: list[_ClaimWord], ev: _Text, claim: _Text) -> list[bool]:
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


# ---------------------------------------------------------------------------------------------
# Splitting
# ---------------------------------------------------------------------------------------------
_SPLIT_ALWAYS = re.compile(r"\s*;\s*")
_SPLIT_CONJ = re.compile(r",?\s+(?:and|but|while|whereas)\s+", re.I)
_RELATIVE = re.compile(r"^(?P<subj>[A-Z][^,;]{1,60}?),\s+(?:which|who)\s+(?P<rel>[^,;]{5,160}?),\s+(?P<rest>[^;]{10,})$")
_SPLIT_CAUSE = re.compile(r"(?:,|;|\s-)\s*(?:and\s+)?(?:so|therefore|thus|hence)\s+|\s+because\s+", re.I)


def _has_verb(words: list[str]) -> bool:
    return any(
        w.lower() in _AUX or (len(w) > 4 and w.lower().endswith("ed") and w[0].islower()) for w in words
    )


def _is_clause(text: str) -> bool:
    words = re.findall(r"[A-Za-z0-9'.,-]+", text)
    content = [w for w in words if w.lower() not in _STOP]
    return len(words) >= 3 and len(content) >= 2 and _has_verb(words)


def split_claim(claim: str) -> list[str]:
    """Split a compound claim into atomic claims, conservatively.

    Splits on ';' and on 'and' / 'but' / 'while' / 'whereas' only when both sides look like full
    clauses (a subject-like start and a verb cue on each side). "Estonia, Latvia and Lithuania
    discussed mines" stays whole; "164 nations ratified it and Germany has withdrawn" splits."""
    text = " ".join(str(claim or "").split()).strip()
    if not text:
        return []
    parts: list[str] = []
    pieces: list[str] = []
    # "X, which Y, Z": the aside about X is a claim of its own ("X Y"), and so is "X Z"
    m = _RELATIVE.match(text)
    if m and _is_clause(m.group("rest")):
        text = f"{m.group('subj')} {m.group('rest')}; {m.group('subj')} {m.group('rel')}"
    for piece in _SPLIT_ALWAYS.split(text):
        # "X, so Y" / "Y because X": the premise and the conclusion are two claims (each must hold)
        start = 0
        for m in _SPLIT_CAUSE.finditer(piece):
            left, right = piece[start : m.start()], piece[m.end() :]
            if len(left.split()) >= 3 and len(right.split()) >= 3 and _is_clause(right):
                pieces.append(left)
                start = m.end()
        pieces.append(piece[start:])
    for piece in pieces:
        piece = piece.strip(" ,")
        if not piece:
            continue
        start = 0
        current: list[str] = []
        for m in _SPLIT_CONJ.finditer(piece):
            left, right = piece[start : m.start()], piece[m.end() :]
            first = right.split(" ", 1)[0]
            # the right side must start with a subject, not a verb ("... and decided to" stays whole)
            subject_like = first.lower() in _SUBJECT_START or not (
                _has_verb([first]) or first.lower().endswith("ing") or first.lower() in _STOP)
            # ", and the UK plans ...": a comma before the conjunction and a determiner or name after it
            # mark a new clause even when the left side's verb is not one the cue list knows
            comma_clause = (m.group(0).lstrip().startswith(",") and (first.lower() in _SUBJECT_START or first[:1].isupper())
                            and len(left.split()) >= 4 and len(right.split()) >= 4)
            if (_is_clause(left) and _is_clause(right) and subject_like) or comma_clause:
                current.append(left.strip(" ,"))
                start = m.end()
        current.append(piece[start:].strip(" ,"))
        parts.extend(p for p in current if p)
    cleaned = [p.rstrip(" .") for p in parts]
    return [p for p in cleaned if p] or [text]


# ---------------------------------------------------------------------------------------------
# Ranking
# ---------------------------------------------------------------------------------------------
def _bm25_scores(claim: str, sentences: Sequence[str]) -> np.ndarray:
    corpus = [[t.stem for t in tokenize(s) if t.stem not in _STOP or _is_acronym(t)] or ["\u2205"]
              for s in sentences]
    query = [t.stem for t in tokenize(claim) if t.stem not in _STOP or _is_acronym(t)]
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    query = [q for q in query if q in model.vocab_dict]
    if not query:
        return np.zeros(len(sentences), dtype=np.float32)
    return np.asarray(model.get_scores(query), dtype=np.float32)


def _embed_sims(claim: str, sentences: Sequence[str], embedder: Embedder | None,
                vectors: np.ndarray | None, claim_vector: np.ndarray | None) -> np.ndarray | None:
    if embedder is None:
        return None
    if vectors is None:
        vectors = embedder.embed(list(sentences))
    q = claim_vector if claim_vector is not None else embedder.embed([claim])[0]
    return np.asarray(vectors) @ q


def coverage_scores(claim: str, sentences: Sequence[str]) -> np.ndarray:
    """Weighted share of the claim's content words (stems, prefixes, acronyms) each sentence covers."""
    c = _Text.of(claim)
    words = _content_words(c)
    if not words:
        return np.zeros(len(sentences), dtype=np.float32)
    return np.asarray([_coverage(words, _matched(words, _Text.of(s), c)) for s in sentences], dtype=np.float32)


def rank_evidence(claim: str, sentences: list[str], embedder: Embedder | None = None, k: int = 5,
                  *, vectors: np.ndarray | None = None, claim_vector: np.ndarray | None = None) -> list[int]:
    """Indices of the `k` best evidence sentences for `claim`, best first.

    Three rankings fused by reciprocal rank fusion: BM25 (bm25s, on stemmed tokens), the claim
    coverage used by `judge` (catches prefixes and acronyms BM25 misses: signed/signatory, US/U.S.),
    and embedding cosine when an embedder is given. `vectors` / `claim_vector` may carry precomputed
    unit embeddings of the sentences / the claim."""
    if not sentences:
        return []
    n = len(sentences)
    lex = _bm25_scores(claim, sentences)
    cov = coverage_scores(claim, sentences)
    scores = [lex, cov]
    sims = _embed_sims(claim, sentences, embedder, vectors, claim_vector)
    if sims is not None:
        scores.append(sims)
    fused = np.zeros(n, dtype=np.float64)
    for sc in scores:
        order = np.argsort(-sc, kind="stable")
        fused[order] += 1.0 / (RRF_K + np.arange(1, n + 1))
    # tie-break on coverage then the lexical score so fused ties keep a meaningful order
    order = sorted(range(n), key=lambda i: (-fused[i], -cov[i], -lex[i], i))
    return order[: max(0, k)]


# ---------------------------------------------------------------------------------------------
# Judging
# ---------------------------------------------------------------------------------------------
@dataclass
class Judgement:
    """The verdict on one atomic claim against a list of evidence sentences.

    `evidence` holds indices into the list given to `judge`; `score` in [0, 1] is the judge's
    entailment probability for the deciding evidence (0 for a contradiction)."""

    verdict: Verdict
    evidence: list[int]
    reason: str
    score: float
    details: dict[str, object] = field(default_factory=dict)


def _negation_positions(tokens: list[Token]) -> list[int]:
    """Positions of negation cues ("not", "no", "n't", "never", "non-"...), but not "not only/just"."""
    out = []
    for t in tokens:
        if t.surface.lower() in _NEGATIONS or t.stem == "not":
            nxt = tokens[t.pos + 1].surface.lower() if t.pos + 1 < len(tokens) else ""
            if not (t.stem == "not" and nxt in {"only", "just", "merely", "least"}):
                out.append(t.pos)
    return out


def _negates(tokens: list[Token], neg: list[int], positions: list[int], window: int = 3) -> bool:
    """Whether a negation cue stands at most `window` tokens before one of `positions`."""
    return any(0 < p - q <= window for p in positions for q in neg)


def _positions(ev: _Text, stem_: str) -> list[int]:
    return [t.pos for t in ev.tokens if _stems_match(stem_, t.stem)]


def _neighbours(text: _Text, pos: int) -> set[str]:
    return {
        text.tokens[p].stem for p in (pos - 2, pos - 1, pos + 1, pos + 2)
        if 0 <= p < len(text.tokens) and text.tokens[p].number is None and text.tokens[p].stem not in _STOP
    }


def _number_contradiction(claim: _Text, word: _ClaimWord, ev: _Text, rest_covered: float) -> Token | None:
    """An evidence number (digits) of the same kind but another value, in the same slot (a shared
    neighbouring content word) or in a sentence that otherwise states the whole claim."""
    t = word.token
    if t.number is None or t.number <= 1 and not t.surface[:1].isdigit():
        return None  # "one of the..." is too loose to contradict
    mine = _neighbours(claim, t.pos)
    for e in ev.tokens:
        if e.number is None or e.kind != t.kind or e.stem == t.stem or e.number <= 1 and not e.surface[:1].isdigit():
            continue
        if rest_covered >= NUMBER_SLOT_COVERAGE or any(_stems_match(a, b) for a in mine
                                                       for b in _neighbours(ev, e.pos)):
            return e
    return None


def _coverage(words: list[_ClaimWord], hits: Sequence[bool]) -> float:
    total = sum(w.weight for w in words)
    return sum(w.weight for w, h in zip(words, hits) if h) / total if total else 0.0


_UNITS = [  # families of units: the same number with another unit of its family is another quantity
    {"second", "minute", "hour", "day", "week", "month", "year", "decade", "century"},
    {"millimetre", "millimeter", "centimetre", "centimeter", "metre", "meter", "kilometre", "kilometer", "inch",
     "foot", "feet", "yard", "mile"},
    {"gram", "kilogram", "kilo", "pound", "ton", "tonne", "ounce"},
    {"percent", "per cent", "%"},
    {"thousand", "million", "billion", "trillion"},
]


def _unit(tokens: list[Token], pos: int) -> str | None:
    for t in tokens[pos + 1 : pos + 3]:
        w = t.surface.lower().rstrip("s") if t.surface.lower() not in ("feet",) else "feet"
        if any(w in fam for fam in _UNITS):
            return w
    return None


def _unit_conflict(c: _Text, ev: _Text) -> str | None:
    for t in c.tokens:
        if t.number is None:
            continue
        mine = _unit(c.tokens, t.pos)
        if mine is None:
            continue
        fam = next(f for f in _UNITS if mine in f)
        for e in ev.tokens:
            if e.number == t.number:
                theirs = _unit(ev.tokens, e.pos)
                if theirs is not None and theirs != mine and theirs in fam:
                    return f"The source says {e.surface} {theirs}s, not {t.surface} {mine}s."
    return None


def _contradiction(c: _Text, words: list[_ClaimWord], ev: _Text, hits: list[bool], cov_nn: float,
                   source_numbers: set[str] | None) -> tuple[str, str] | None:
    """(check, reason) when this evidence sentence, which talks about the claim, contradicts it."""
    for k, w in enumerate(words):
        if w.token.number is None or hits[k] or (source_numbers is not None and w.token.stem in source_numbers):
            continue
        other = _number_contradiction(c, w, ev, cov_nn)
        if other is not None:
            what = {"year": "year", "month": "month"}.get(w.token.kind, "number")
            return "number", f"The source gives the {what} {other.surface}, not {w.token.surface}."
    # negation: a cue right before a matched (non-name) claim word in only one of the two texts
    claim_neg = _negation_positions(c.tokens)
    ev_neg = _negation_positions(ev.tokens)
    matched_pos = [p for k, w in enumerate(words) if hits[k] and not w.entity and w.token.number is None
                   for p in _positions(ev, w.token.stem)]
    names = [k for k, w in enumerate(words) if w.entity]
    names_ok = not names or any(hits[k] for k in names)
    if names_ok and not claim_neg and _negates(ev.tokens, ev_neg, matched_pos):
        return "negation", "The source negates what the claim asserts."
    if claim_neg and not ev_neg and cov_nn >= SUPPORTED_COVERAGE:
        negated = [k for k, w in enumerate(words) if _negates(c.tokens, claim_neg, [w.token.pos])]
        if negated and all(hits[k] for k in negated):
            return "negation", "The claim negates what the source asserts."
    # quantifiers: "all" in the claim, "some/most/except" in the source
    claim_q = {t.surface.lower() for t in c.tokens} & _QUANT_ALL
    ev_words = {t.surface.lower() for t in ev.tokens}
    qualifiers = ev_words & (_QUANT_SOME | _QUANT_NONE)
    if claim_q and ("except" in ev_words or (qualifiers and not ev_words & _QUANT_ALL)):
        return "quantifier", f"The source qualifies what the claim says of all ({', '.join(sorted(qualifiers))})."
    # exception: the source names the claim's subject as the exception ("all members except the United States")
    ents = [w for k, w in enumerate(words) if w.entity and hits[k]]
    for i, t in enumerate(ev.tokens):
        if ents and t.surface.lower() in ("except", "excluding", "besides"):
            window = {x.stem for x in ev.tokens[i + 1 : i + 6]}
            named = [w.token.surface for w in ents if w.token.stem in window]
            if named:
                return "exception", f"The source names {' '.join(named)} as the exception."
    # antonyms: the claim's word is missing and its opposite stands in the same slot (not under a
    # negation: "not allowed" vs "prohibited" agree)
    if claim_neg or ev_neg:
        return None
    claim_stems = {w.token.stem for w in words}
    for w, hit in zip(words, hits):
        if hit:
            continue
        mine = _neighbours(c, w.token.pos)
        for a in _antonyms(w.token.stem):
            if any(_stems_match(a, s) for s in claim_stems):
                continue
            for e in ev.tokens:  # the opposite word in the same slot (a shared neighbouring word)
                if _stems_match(a, e.stem) and any(_stems_match(x, y) for x in mine for y in _neighbours(ev, e.pos)):
                    return "antonym", f"The source says '{e.surface}' where the claim says '{w.token.surface}'."
    return None



def number_conflict(claim: str, evidence: str, source_numbers: set[str] | None = None) -> str | None:
    """Why `evidence` contradicts the claim by an explicit check, or None: another number, date or
    unit in the claim's slot, a negation on one side only, "all" against "some/except", the claim's
    subject named as the exception, or an antonym in the same slot.

    Hand-written on purpose, as vetoes beside the judge: comparing values ("600,000" vs "1.5
    million", 1997 vs 1999) is exact arithmetic, and negation, quantifiers and exceptions are closed
    word classes, all of which the small judge reads unreliably (it called "All NATO members ratified
    the convention" supported by "...all NATO members except for the United States"). The checks fire
    only in sentences that state the rest of the claim (ALIGNED_COVERAGE of its other words)."""
    c = _Text.of(claim)
    words = _content_words(c)
    ev = _Text.of(evidence)
    hits = _matched(words, ev, c)
    plain = [w.token.number is None for w in words]
    cov_nn = _coverage([w for w, p in zip(words, plain) if p], [x for x, p in zip(hits, plain) if p])
    if cov_nn < ALIGNED_COVERAGE:
        return None
    unit = _unit_conflict(c, ev)
    if unit:
        return unit
    found = _contradiction(c, words, ev, hits, cov_nn, source_numbers)
    return found[1] if found else None


_HEDGES = frozenset(
    "consider considers considering considered consideration may might could possible possibility possibly "
    "potential potentially plan plans planned planning propose proposes proposed proposal discuss discussed "
    "discussing suggest suggested suggests weigh weighing mull mulling threaten threatened likely".split())


def hedged(claim: str, evidence: str, window: int = 5) -> str | None:
    """The hedge word under which `evidence` states what `claim` asserts outright, or None.

    "Finland announced its consideration of withdrawing" does not support "Finland has withdrawn".
    Hand-written: modality is a closed class of words that the small judge reads unreliably (it
    entailed that example at 95%); only a hedge at most `window` words before a claim word counts,
    and only when the claim has no hedge of its own."""
    c, ev = _Text.of(claim), _Text.of(evidence)
    if any(t.surface.lower() in _HEDGES for t in c.tokens):
        return None
    words = [w for w in _content_words(c) if not w.entity and w.token.number is None]
    for i, t in enumerate(ev.tokens):
        if t.surface.lower() not in _HEDGES:
            continue
        after = ev.tokens[i + 1 : i + 1 + window]
        if any(_stems_match(w.token.stem, a.stem) for w in words for a in after):
            return t.surface
    return None


def judge(claim: str, evidence: list[str], embedder: Embedder | None = None, *,
          sims: np.ndarray | None = None, source_numbers: set[str] | None = None, model=None) -> Judgement:
    """Judge one atomic claim against ranked evidence sentences (best first) with the trained judge.

    The judge scores each sentence, and the best few read together (a fact is often spread over
    two sentences), as premise against the claim. Contradicted when a sentence contradicts it with
    CONTRA_MIN confidence (more than it entails it), or gives another number or date in the claim's
    slot (`number_conflict`); supported when a sentence or the pair entails it with ENTAIL_MIN;
    partly supported when entailment reaches PARTLY_ENTAIL or the sentences cover PARTLY_COVERAGE of
    the claim's words; otherwise not in the sources. `embedder`/`sims` are accepted for callers that
    rank with embeddings; the verdict does not use them."""
    from ..judge import get_judge
    from ..judge.scorer import CONTRA, ENTAIL

    c = _Text.of(claim)
    words = _content_words(c)
    if not words:
        raise InputError("The claim has no content words to check.", hint="State a complete claim.")
    if not evidence:
        return Judgement("not_in_sources", [], "No evidence sentences were found.", 0.0)
    j = model or get_judge()
    premises = list(evidence)
    combos: list[list[int]] = []
    top = list(range(min(COMBINE_TOP, len(evidence))))
    for a_ in range(len(top)):
        for b_ in range(a_ + 1, len(top)):
            combos.append([a_, b_])
    premises += [" ".join(evidence[i] for i in pair) for pair in combos]
    probs = j.nli(premises, [claim] * len(premises))
    single = probs[: len(evidence)]
    details: dict[str, object] = {
        "entailment": [round(float(x), 3) for x in single[:, ENTAIL]],
        "contradiction": [round(float(x), 3) for x in single[:, CONTRA]],
    }
    # contradictions first: a single sentence the judge reads as contradicting the claim
    # (unless another sentence entails it more strongly: the judge then misreads a sentence about
    # something else, e.g. "By 2020, 164 states had ratified it" against "signed by 122 states in 1997")
    ci = int(np.argmax(single[:, CONTRA]))
    best_single = float(single[:, ENTAIL].max())
    overruled = best_single >= ENTAIL_MIN and best_single > single[ci, CONTRA]
    if single[ci, CONTRA] >= CONTRA_MIN and single[ci, CONTRA] > single[ci, ENTAIL] and not overruled:
        return Judgement("contradicted", [ci], "The source contradicts the claim (judge: "
                         f"{single[ci, CONTRA]:.0%} contradiction).", 0.0, details | {"check": "judge"})
    for i, e in enumerate(evidence):
        why = number_conflict(claim, e, source_numbers)
        if why:
            return Judgement("contradicted", [i], why, 0.0, details | {"check": "number"})
    best = int(np.argmax(probs[:, ENTAIL]))
    chosen = [best] if best < len(evidence) else combos[best - len(evidence)]
    p_ent = float(probs[best, ENTAIL])
    hits = [any(h) for h in zip(*[_matched(words, _Text.of(evidence[i]), c) for i in chosen])]
    cov = _coverage(words, hits)
    details["coverage"] = round(cov, 3)
    hedge = next((h for h in (hedged(claim, evidence[i]) for i in chosen) if h), None)
    if p_ent >= ENTAIL_MIN and hedge:
        return Judgement("partly_supported", chosen, f"The source says this only with “{hedge}”: it does not "
                         "state it as a fact.", p_ent, details | {"check": "modality"})
    if p_ent >= ENTAIL_MIN:
        how = "states" if len(chosen) == 1 else "together state"
        return Judgement("supported", chosen, f"The evidence {how} the claim (judge: {p_ent:.0%} entailment).",
                         p_ent, details)
    all_hits = [any(h) for h in zip(*[_matched(words, _Text.of(e), c) for e in evidence[:MAX_EVIDENCE]])]
    missing = [w.token.surface for w, h in zip(words, all_hits) if not h]
    if p_ent >= PARTLY_ENTAIL or _coverage(words, all_hits) >= PARTLY_COVERAGE:
        what = f"; not found: {', '.join(missing[:6])}" if missing else ""
        return Judgement("partly_supported", chosen, f"The evidence bears on the claim but does not state all of it "
                         f"(judge: {p_ent:.0%} entailment{what}).", p_ent, details)
    return Judgement("not_in_sources", chosen if p_ent > 0.1 else [],
                     "The sources do not state this claim.", p_ent, details)


# ---------------------------------------------------------------------------------------------
# Claim checks with citations
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class EvidenceCandidate:
    """A candidate evidence sentence: `text` is exactly document[start:end] of document `doc`."""

    text: str
    doc: str
    start: int
    end: int


class EvidenceQuote(BaseModel):
    text: str
    doc: str
    start: int
    end: int


class AtomicCheck(BaseModel):
    text: str
    verdict: Verdict
    evidence: list[EvidenceQuote] = Field(default_factory=list)
    reason: str
    score: float = Field(default=0.0, exclude=True, description="Support score in [0, 1] (not serialised)")


class ClaimCheck(BaseModel):
    verdict: Verdict
    claims: list[AtomicCheck] = Field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json")


def combine_verdicts(verdicts: Sequence[str]) -> Verdict:
    """all supported -> supported; any contradicted -> contradicted; nothing found -> not_in_sources;
    otherwise partly_supported."""
    if not verdicts or all(v == "not_in_sources" for v in verdicts):
        return "not_in_sources"
    if any(v == "contradicted" for v in verdicts):
        return "contradicted"
    if all(v == "supported" for v in verdicts):
        return "supported"
    return "partly_supported"


def _with_names_and_numbers(claim: str, top: list[int], texts: list[str], order: list[int],
                            extra: int) -> list[int]:
    """`top` plus up to `extra` further candidates (in rank order) that hold a claim name or number
    the top sentences lack: a date or a name is often stated in another sentence of the source."""
    c = _Text.of(claim)
    words = [w for w in _content_words(c) if w.entity or w.token.number is not None]
    out = list(top)
    for w in words:
        if len(out) >= len(top) + extra:
            break
        if any(_matched([w], _Text.of(texts[i]), c)[0] for i in out):
            continue
        for i in order:
            if i not in out and _matched([w], _Text.of(texts[i]), c)[0]:
                out.append(i)
                break
    return out


def check_claim(claim: str, candidates: list[EvidenceCandidate], embedder: Embedder | None = None,
                *, k: int = 5, vectors: np.ndarray | None = None) -> ClaimCheck:
    """Split `claim`, rank `candidates` for each atomic claim, judge it, and combine the verdicts.

    Each atomic claim is judged on its `k` best candidates plus up to EXTRA_EVIDENCE candidates that
    hold one of its names or numbers. Candidate doc/start/end pass through unchanged into the
    evidence quotes. `vectors` may carry the candidates' precomputed unit embeddings."""
    parts = [p for p in split_claim(claim) if _content_words(_Text.of(p))]
    if not parts:
        raise InputError("The claim has nothing to check.", hint="Type a complete claim.")
    texts = [c.text for c in candidates]
    if embedder is not None and vectors is None and texts:
        vectors = embedder.embed(texts)
    source_numbers = set().union(*(_Text.of(t).numbers for t in texts)) if texts else set()
    checks: list[AtomicCheck] = []
    part_vectors = embedder.embed(parts) if embedder is not None and texts else None
    for n, part in enumerate(parts):
        q = part_vectors[n] if part_vectors is not None else None
        order = rank_evidence(part, texts, embedder, len(texts), vectors=vectors, claim_vector=q)
        top = _with_names_and_numbers(part, order[:k], texts, order, EXTRA_EVIDENCE)
        sims = np.asarray(vectors)[top] @ q if q is not None and top else None
        j = judge(part, [texts[i] for i in top], sims=sims, source_numbers=source_numbers)
        quotes = [EvidenceQuote(text=candidates[top[i]].text, doc=candidates[top[i]].doc,
                                start=candidates[top[i]].start, end=candidates[top[i]].end) for i in j.evidence]
        checks.append(AtomicCheck(text=part, verdict=j.verdict, evidence=quotes, reason=j.reason, score=j.score))
    return ClaimCheck(verdict=combine_verdicts([c.verdict for c in checks]), claims=checks)
