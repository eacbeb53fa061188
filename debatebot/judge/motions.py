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


# A name the motion gives to something the sources define ("withdraw from the Nordic Fare Compact",
# "repeal the Clean Harbours Act 2021"): two or more capitalised words, joined by the small words
# names carry ("Convention on ...", "Act of ..."), anywhere but the motion's own first word.
_JOIN = r"(?:of|on|for|the|and|de|la|du|von|van|in|to)"
_NAME_RE = re.compile(rf"\b[A-Z][\w'\u2019-]*(?:\s+(?:{_JOIN}\s+)*[A-Z0-9][\w'\u2019-]*)+")
_LEAD = re.compile(rf"^(?:The|This|That|These|Those|A|An|We|Our|Ban|Keep|End|Scrap|Repeal|{_JOIN})\s+")


_AFTER_NAME = re.compile(r"\s+([a-z][\w'-]*)")
_FUNCTION = {"should", "must", "would", "will", "shall", "is", "are", "was", "were", "be", "has", "have", "had",
             "can", "could", "may", "might", "and", "or", "to", "of", "in", "on", "by", "for", "from", "with",
             "that", "which", "as", "at", "now", "altogether", "entirely", "immediately"}


def named_things(motion: str) -> list[str]:
    """The multi-word names in `motion` (leading article and a sentence-initial verb dropped); a name
    used as a modifier ("European Union members", followed by a lower-case noun) names a group, not
    something the sources define, and is left out."""
    out = []
    for m in _NAME_RE.finditer(motion):
        nxt = _AFTER_NAME.match(motion, m.end())
        if nxt and nxt.group(1) not in _FUNCTION:
            continue
        name = m.group(0)
        while _LEAD.match(name):
            name = _LEAD.sub("", name, count=1)
        if len(name.split()) >= 2 and name[0].isupper():
            out.append(name)
    return out


def ground_motion(motion: str, sentences: list[str], max_words: int = 45) -> str:
    """The motion as the judge reads it: when it names something the sources define (`named_things`),
    followed by the first source sentence that mentions that name (in `sentences`' order, which
    should be reading order), so that "withdraw from the X accord" is read as what the accord does.
    Otherwise, or when no sentence names it, the motion unchanged. The same function makes the
    training pairs (training/data.py), so the judge learns to read motions in this form."""
    names = named_things(motion)
    if not names:
        return motion
    for name in names:
        key = name.casefold()
        for s in sentences:
            words = s.split()
            if key in s.casefold() and 6 <= len(words) and s.rstrip()[-1:] in ".!?\"\u201d'\u2019)":
                defined = " ".join(words[:max_words])
                return f"{motion.rstrip(' .')}. ({defined})"
    return motion
