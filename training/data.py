"""Training pairs for the judge: public NLI + stance data, synthetic news perturbations, inverted motions.

Labels: NLI head  0 entailment, 1 neutral, 2 contradiction (premise -> hypothesis);
        stance head 0 pro, 1 con, 2 neither (text -> motion).
Every random choice goes through one seeded `random.Random`.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from debatebot.judge.motions import invert_motion

NLI_LABELS = {"entailment": 0, "neutral": 1, "contradiction": 2}
STANCE_LABELS = {"pro": 0, "con": 1}
NEITHER = 2


@dataclass(frozen=True)
class Pair:
    a: str          # premise / text
    b: str          # hypothesis / motion
    label: int
    task: int       # 0 NLI, 1 stance
    origin: str


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# ---------------------------------------------------------------- NLI from ../shared/train
def nli_pairs(rows: list[dict], n: int, rng: random.Random) -> list[Pair]:
    """A sample of n rows with neutral (the rarest class) kept whole."""
    neutral = [r for r in rows if r["label"] == "neutral"]
    rest = [r for r in rows if r["label"] != "neutral"]
    rng.shuffle(rest)
    take = neutral[: n // 3] + rest[: n - min(len(neutral), n // 3)]
    return [Pair(r["premise"], r["hypothesis"], NLI_LABELS[r["label"]], 0, r["source"].split("/")[0]) for r in take]


# ---------------------------------------------------------------- synthetic pairs from news sentences
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"])")
_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")
# generic antonyms / quantifier and modality swaps (language, not topic)
_SWAPS = [
    ("increase", "decrease"), ("increased", "decreased"), ("rise", "fall"), ("rose", "fell"),
    ("higher", "lower"), ("more", "fewer"), ("more than", "less than"), ("largest", "smallest"),
    ("support", "oppose"), ("supports", "opposes"), ("supported", "opposed"), ("agreed", "refused"),
    ("accepted", "rejected"), ("approved", "rejected"), ("won", "lost"), ("before", "after"),
    ("allowed", "banned"), ("legal", "illegal"), ("win", "lose"), ("always", "never"),
    ("all", "none of the"), ("most", "few"), ("many", "few"), ("first", "last"), ("up", "down"),
    ("strong", "weak"), ("success", "failure"), ("successful", "unsuccessful"), ("praised", "criticized"),
    ("true", "false"), ("guilty", "innocent"), ("ally", "enemy"), ("open", "closed"), ("began", "ended"),
    ("joined", "left"), ("hired", "fired"), ("passed", "failed"), ("easy", "difficult"), ("cheap", "expensive"),
    ("safe", "dangerous"), ("better", "worse"), ("best", "worst"), ("gained", "lost"), ("younger", "older"),
]
_SWAP = {a: b for a, b in _SWAPS} | {b: a for a, b in _SWAPS}
_SWAP_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _SWAP), key=len, reverse=True)) + r")\b")
_AUX_NEG = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|does|do|did|must)\b(?! not)")
_NOT = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|does|do|did|must) not\b")
_NT = re.compile(r"\b(isn't|aren't|wasn't|weren't|hasn't|haven't|didn't|doesn't|don't|won't|can't)\b")
_NT_FIX = {"isn't": "is", "aren't": "are", "wasn't": "was", "weren't": "were", "hasn't": "has", "haven't": "have",
           "didn't": "did", "doesn't": "does", "don't": "do", "won't": "will", "can't": "can"}
# modality: a possibility or plan restated as a fact is not entailed
_MODAL = [
    (re.compile(r"\b(is|are) (considering|weighing|discussing|debating)\b"), r"\1 certain of"),
    (re.compile(r"\b(plans|plan|intends|intend|hopes|hope|wants|want|threatened|proposed) to\b"), "has already chosen to"),
    (re.compile(r"\b(may|might|could)\b"), "will certainly"),
    (re.compile(r"\b(likely|possibly|probably|perhaps)\b"), "definitely"),
]
_NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]+(?: [A-Z][a-z]+)+)\b")
_CLAUSE = re.compile(r",? (?:and|but|while|whereas|although) |; ")


def news_sentences(articles: list[dict], rng: random.Random, per_article: int = 25) -> list[tuple[int, str]]:
    out = []
    for i, art in enumerate(articles):
        sents = [s.strip() for para in art["text"].split("\n") for s in _SENT.split(para)]
        sents = [s for s in sents if 8 <= len(s.split()) <= 45 and s[-1:] in ".!?\u201d\"" and "@" not in s]
        rng.shuffle(sents)
        out.extend((i, s) for s in sents[:per_article])
    return out


def _change_number(s: str, rng: random.Random) -> str | None:
    nums = list(_NUMBER.finditer(s))
    if not nums:
        return None
    m = rng.choice(nums)
    raw = m.group(0).replace(",", "")
    try:
        v = float(raw)
    except ValueError:
        return None
    if _YEAR.fullmatch(m.group(0)):
        new = str(int(v) + rng.choice([-3, -2, -1, 1, 2, 3]))
    else:
        factor = rng.choice([0.5, 2, 3, 10, 0.1, 1.5])
        nv = v * factor if v else rng.randint(2, 90)
        new = f"{nv:,.0f}" if "." not in raw or nv >= 100 else f"{nv:.1f}"
        if new.replace(",", "") == raw:
            new = str(int(v) + rng.randint(2, 9))
    return s[: m.start()] + new + s[m.end():]


def _change_month(s: str, rng: random.Random) -> str | None:
    m = _MONTH.search(s)
    if not m:
        return None
    new = rng.choice([x for x in _MONTHS if x != m.group(0)])
    return s[: m.start()] + new + s[m.end():]


def _swap_word(s: str, rng: random.Random) -> str | None:
    hits = list(_SWAP_RE.finditer(s))
    if not hits:
        return None
    m = rng.choice(hits)
    return s[: m.start()] + _SWAP[m.group(0)] + s[m.end():]


def _negate(s: str, rng: random.Random) -> str | None:
    m = _NOT.search(s)
    if m:
        return s[: m.start()] + m.group(1) + s[m.end():]
    m = _NT.search(s)
    if m:
        return s[: m.start()] + _NT_FIX[m.group(0)] + s[m.end():]
    hits = list(_AUX_NEG.finditer(s))
    if not hits:
        return None
    m = rng.choice(hits)
    return s[: m.end()] + " not" + s[m.end():]


def _modality(s: str, rng: random.Random) -> str | None:
    for rx, rep in _MODAL:
        if rx.search(s):
            return rx.sub(rep, s, count=1)
    return None


def _swap_name(s: str, names: list[str], rng: random.Random) -> str | None:
    hits = [m for m in _NAME.finditer(s) if m.start() > 0]
    if not hits or not names:
        return None
    m = rng.choice(hits)
    other = rng.choice(names)
    if other == m.group(1):
        return None
    return s[: m.start(1)] + other + s[m.end(1):]


def _clause(s: str, rng: random.Random) -> str | None:
    parts = [p.strip(" ,;") for p in _CLAUSE.split(s)]
    parts = [p for p in parts if len(p.split()) >= 5]
    if len(parts) < 2:
        return None
    p = rng.choice(parts)
    p = p.strip("\u201c\u201d\"' ")
    if len(p.split()) < 5:
        return None
    p = p[0].upper() + p[1:]
    return p if p.endswith(".") else p.rstrip(".,;:") + "."


def synthetic_pairs(articles: list[dict], n: int, rng: random.Random) -> list[Pair]:
    sents = news_sentences(articles, rng)
    names = sorted({m.group(1) for _, s in sents for m in _NAME.finditer(s)})
    pairs: list[Pair] = []
    contra = [("number", _change_number), ("month", _change_month), ("antonym", _swap_word), ("negation", _negate)]
    while len(pairs) < n:
        art, s = rng.choice(sents)
        kind = rng.random()
        if kind < 0.12:
            pairs.append(Pair(s, s, 0, 0, "synthetic/self"))
        elif kind < 0.25:
            c = _clause(s, rng)
            if c:
                pairs.append(Pair(s, c, 0, 0, "synthetic/clause"))
        elif kind < 0.67:
            name, fn = rng.choice(contra)
            h = fn(s, rng)
            if h and h != s:
                pairs.append(Pair(s, h, 2, 0, "synthetic/" + name))
        elif kind < 0.74:
            h = _swap_name(s, names, rng)
            if h and h != s:
                pairs.append(Pair(s, h, 2, 0, "synthetic/entity"))
        elif kind < 0.82:
            h = _modality(s, rng)
            if h and h != s:
                pairs.append(Pair(s, h, 1, 0, "synthetic/modality"))
        else:
            a2, s2 = rng.choice(sents)
            if a2 != art:
                pairs.append(Pair(s, s2, 1, 0, "synthetic/other-article"))
    return pairs


# ---------------------------------------------------------------- stance, inverted motions, neither
_FRAMES = [
    (re.compile(r"^we should (?!not\b)", re.I), ["This house would ", "The government should ", "We should ",
                                                 "This house believes we should "]),
]


def rephrase(motion: str, rng: random.Random) -> str:
    for rx, frames in _FRAMES:
        if rx.search(motion):
            return rx.sub(rng.choice(frames), motion, count=1)
    return motion


def stance_pairs(rows: list[dict], n: int, rng: random.Random, invert_share: float = 0.3,
                 neither_share: float = 0.2) -> list[Pair]:
    rows = list(rows)
    rng.shuffle(rows)
    topics = sorted({r["topic"] for r in rows})
    out: list[Pair] = []
    for r in rows:
        if len(out) >= n:
            break
        label = STANCE_LABELS[r["stance"]]
        topic = rephrase(r["topic"], rng)
        src = r["source"].split("/")[0]
        u = rng.random()
        if u < invert_share:
            inv = invert_motion(topic, rng)
            if inv:
                out.append(Pair(r["text"], inv, 1 - label, 1, src + "/inverted"))
                continue
        if u > 1 - neither_share:
            other = rng.choice(topics)
            if other != r["topic"]:
                out.append(Pair(r["text"], rephrase(other, rng), NEITHER, 1, src + "/neither"))
                continue
        out.append(Pair(r["text"], topic, label, 1, src))
    return out


def stance_dev_pairs(rows: list[dict], rng: random.Random, n: int) -> list[Pair]:
    rows = list(rows)
    rng.shuffle(rows)
    return stance_pairs(rows[:n], n, rng, invert_share=0.3, neither_share=0.2)
