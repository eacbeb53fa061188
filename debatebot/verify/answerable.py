"""Whether the retrieved sentences answer a question: a small logistic model over what the sentences
share with the question (meaning, words, its names and numbers, the kind of answer it wants), trained
on the questions we wrote about our own articles (`training/train_answerable.py`,
training/data/questions; never on dev). Below its threshold `ask` says "not in the sources"; below
its `weak` bar it answers, saying the match is weak.

Why learned, not a bar: a question that shares names and words with a sentence ("How many senators
voted for the reform?" beside "The reform needs 29 of its 50 senators") is as close in meaning as one
the sentence answers; which of the signals decides is what the written questions teach. The signals
themselves are explicit because each is cheap and the judge (a stance / NLI cross-encoder) has no
reading of "does this answer that question"."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from debatebot.verify.claims.tokens import TextTokens, claim_words, matched_words, weighted_coverage

FEATURES = (
    "relevance_max",  # cosine + half the question-word overlap, best sentence
    "cosine_max",
    "overlap_max",  # share of the question's content words in the best sentence (prefix match)
    "coverage_best",  # weighted share of the question's words (names and numbers weigh more), best sentence
    "coverage_top",  # the same over the top sentences together
    "names_missing_top",  # share of the question's names absent from the top sentences
    "names_missing_sources",  # share of the question's names absent from every indexed document
    "numbers_missing_top",  # share of the question's numbers absent from the top sentences
    "wants_figure_none",  # the question asks how many / how much / when, and no top sentence gives a figure
    "words_missing_best",  # how many plain content words of the question the best sentence lacks (capped at 4)
    "wants_figure",  # how many / how much / when / what share...
    "wants_name",  # who / which...
    "focus_answered",  # a top sentence holds the question's focus word ("How many *staff*...") with an answer of
    # the kind asked beside it (a figure, or a name, the question does not hold, within FOCUS_WINDOW words)
    "focus_present",  # a top sentence holds the focus word at all
)
FOCUS_WINDOW = 8
_GENERIC_FOCUS = frozenset("share percentage proportion fraction number amount many much long far often old big large "
                           "total level rate figure".split())
TOP = 3  # the sentences an answer shows
_FIGURE = re.compile(r"\d[\d,.]*|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|"
                     r"thirty|forty|fifty|hundreds?|thousands?|millions?|billions?|dozens?|half|quarter|third|"
                     r"majority|minority|January|February|March|April|June|July|August|September|October|November|"
                     r"December)\b")
_WANTS_NAME = re.compile(r"^(?:who|whom|whose|which|what (?:company|companies|group|organisation|organization|body|"
                         r"agency|firm|party|country|city|union))\b", re.I)
_WANTS_FIGURE = re.compile(r"\b(?:how many|how much|how long|how far|how big|how large|how often|how old|what share|"
                           r"what percentage|what proportion|what fraction|what number|when|what year|which year|"
                           r"what date|by how)\b", re.I)
_WH = frozenset("what which who whom whose why how when where does do did is are was were can could should would "
                "has have had will".split())


def wants_figure(question: str) -> bool:
    """The question asks for a number, a share or a date ("how many", "what share", "when")."""
    return bool(_WANTS_FIGURE.search(question))


def wants_name(question: str) -> bool:
    """The question asks who, or which body, company or place."""
    return bool(_WANTS_NAME.search(question.strip()))


def question_words(question: str):
    """The question's content words (as a claim's, `claim_words`), its first word never a name."""
    c = TextTokens.of(question)
    words = [w for w in claim_words(c) if not (w.token.pos == 0 or w.token.surface.lower() in _WH)]
    return c, words


def features(question: str, texts: list[str], cosine: list[float], overlap: list[float],
             sources: list[str]) -> np.ndarray:
    """The FEATURES of `question` against its ranked sentences (`texts`, best first, with their cosine
    and word overlap) and the indexed documents' texts (`sources`). (The NLI judge reading the question's
    content against them, "How many senators must back it?" as "Senators must back it", was tried: 0.796
    cross-validated on train, 0.80 without; dev unchanged; not kept.)"""
    x = np.zeros(len(FEATURES), dtype=np.float32)
    if not texts:
        x[FEATURES.index("names_missing_top")] = x[FEATURES.index("names_missing_sources")] = 1.0
        return x
    c, words = question_words(question)
    rel = [a + 0.5 * b for a, b in zip(cosine, overlap)]
    x[0], x[1], x[2] = max(rel), max(cosine), max(overlap)
    top = texts[:TOP]
    hits = [matched_words(words, TextTokens.of(t), c) for t in top]
    if words:
        x[3] = max(weighted_coverage(words, h) for h in hits)
        joint = [any(col) for col in zip(*hits)]
        x[4] = weighted_coverage(words, joint)
        names = [k for k, w in enumerate(words) if w.entity]
        if names:
            x[5] = sum(not joint[k] for k in names) / len(names)
            x[6] = sum(not any(words[k].token.surface in s for s in sources) for k in names) / len(names)
        nums = [k for k, w in enumerate(words) if w.token.number is not None]
        if nums:
            x[7] = sum(not joint[k] for k in nums) / len(nums)
        best = max(range(len(top)), key=lambda i: weighted_coverage(words, hits[i]))
        plain = [k for k, w in enumerate(words) if not w.entity and w.token.number is None]
        x[9] = min(4, sum(not hits[best][k] for k in plain)) / 4
    else:
        x[3] = x[4] = x[2]
    figure, name = wants_figure(question), wants_name(question)
    x[8] = float(figure and not any(_FIGURE.search(t) for t in top))
    x[10], x[11] = float(figure), float(name)
    focus = next((w for w in words if not w.entity and w.token.number is None
                  and w.token.surface.lower() not in _GENERIC_FOCUS), None)
    if focus is not None:
        own = {t.stem for t in c.tokens}
        for t in top:
            tt = TextTokens.of(t)
            at = [e.pos for e in tt.tokens if e.stem == focus.token.stem or
                  (len(e.stem) >= 5 and len(focus.token.stem) >= 5 and e.stem[:5] == focus.token.stem[:5])]
            if not at:
                continue
            x[13] = 1.0
            near = [e for e in tt.tokens if any(abs(e.pos - a) <= FOCUS_WINDOW for a in at) and e.stem not in own]
            if figure:
                ok = any(e.number is not None for e in near)
            elif name:
                ok = any(e.capital and e.pos > 0 for e in near)
            else:
                ok = True
            x[12] = max(x[12], float(ok))
    return x


@dataclass(frozen=True)
class AnswerGate:
    weights: np.ndarray
    bias: float
    mean: np.ndarray
    scale: np.ndarray
    threshold: float  # below: not in the sources
    weak: float  # below: answered, the match said to be weak
    record: dict

    def probability(self, x: np.ndarray) -> float:
        z = float(((x - self.mean) / self.scale) @ self.weights + self.bias)
        return 1.0 / (1.0 + np.exp(-z))

    def answers(self, x: np.ndarray) -> bool:
        return self.probability(x) >= self.threshold

    def weak_match(self, x: np.ndarray) -> bool:
        return self.probability(x) < self.weak


def gate_path() -> Path:
    return Path(str(resources.files("debatebot.judge") / "weights" / "answerable.json"))


@lru_cache(maxsize=1)
def get_gate() -> AnswerGate | None:
    """The trained gate (None when its file is missing: `ask` then falls back to a relevance bar)."""
    p = gate_path()
    if not p.is_file():
        return None
    d = json.loads(p.read_text(encoding="utf-8"))
    if tuple(d["features"]) != FEATURES:
        return None  # trained on other features: not to be read with these
    return AnswerGate(np.array(d["weights"], dtype=np.float32), float(d["bias"]),
                      np.array(d["mean"], dtype=np.float32), np.array(d["scale"], dtype=np.float32),
                      float(d["threshold"]), float(d.get("weak", d["threshold"])), d.get("record", {}))


def judge_question(question: str, texts: list[str], cosine: list[float], overlap: list[float],
                   sources: list[str]) -> tuple[bool | None, dict]:
    """Whether the top sentences (`texts`, best first) answer `question`, by the trained gate, and
    what it read: {"features", "probability", "threshold", "weak"}. None without the gate's file."""
    x = features(question, texts, cosine, overlap, sources)
    info: dict = {"features": dict(zip(FEATURES, (round(float(v), 4) for v in x)))}
    gate = get_gate()
    if gate is None:
        return None, info
    info |= {"probability": round(float(gate.probability(x)), 4), "threshold": gate.threshold,
             "weak": gate.weak_match(x)}
    return gate.answers(x), info
