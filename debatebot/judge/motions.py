"""Motion polarity: the same motion with its sides swapped ("ban X" -> "allow X", "should X" ->
"should not X"). Used to make training pairs (training/data.py) and to check in `debatebot eval`
that the sides swap with the motion. A table of general policy verbs, no topic words; hand-written
because it is a word list, not an algorithm."""

from __future__ import annotations

import random
import re

_INVERT = [
    ("ban", "allow"), ("banned", "allowed"), ("prohibit", "permit"), ("prohibited", "permitted"),
    ("abolish", "keep"), ("abolished", "kept"), ("legalize", "criminalize"), ("legalise", "criminalise"),
    ("legalized", "criminalized"), ("legalised", "criminalised"), ("increase", "decrease"),
    ("increased", "decreased"), ("raise", "lower"), ("raised", "lowered"),
    ("withdraw from", "stay in"), ("leave", "remain in"), ("adopt", "reject"), ("support", "oppose"),
    ("subsidize", "stop subsidizing"), ("subsidise", "stop subsidising"), ("introduce", "scrap"),
    ("end", "continue"), ("limit", "expand"), ("restrict", "expand"),
    ("beneficial", "harmful"), ("more", "less"),
]
_INV = {a: b for a, b in _INVERT} | {b: a for a, b in _INVERT}
_INV_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _INV), key=len, reverse=True)) + r")\b", re.I)
_NEGATED = re.compile(r"\b(should|must|would|is|are|can|could|will|do|does) not\b|\bcannot\b", re.I)
_AUX = re.compile(r"\b(should|must|would|is|are|can|will)\b", re.I)


def invert_motion(motion: str, rng: random.Random | None = None) -> str | None:
    """The motion with its polarity flipped, or None when no rule applies.

    A negated motion loses its "not"; otherwise a policy verb is swapped for its opposite, or the
    first auxiliary is negated (with `rng`, either rule at random when both apply; without it the
    verb rule first)."""
    neg = _NEGATED.search(motion)
    if neg:
        return motion[: neg.start()] + (neg.group(1) or "can") + motion[neg.end():]
    m = _INV_RE.search(motion)
    aux = _AUX.search(motion)
    if aux and (not m or (rng is not None and rng.random() < 0.5)):
        return motion[: aux.end()] + " not" + motion[aux.end():]
    if not m:
        return None
    word = m.group(0)
    rep = _INV[word.lower()]
    if word[0].isupper():
        rep = rep[0].upper() + rep[1:]
    return motion[: m.start()] + rep + motion[m.end():]
