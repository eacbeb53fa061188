"""Splitting a compound claim into atomic claims ("X, and Y" is two claims; "X, so Y"; "X, which Y, Z")."""

from __future__ import annotations

import re

from debatebot.core.lang import (
    CLAUSE_VERBS,
    STOPWORDS,
    SUBJECT_STARTS,
)

_SPLIT_ALWAYS = re.compile(r"\s*;\s*")
_SPLIT_CONJ = re.compile(r",?\s+(?:and|but|while|whereas)\s+", re.I)
_RELATIVE = re.compile(r"^(?P<subj>[A-Z][^,;]{1,60}?),\s+(?:which|who)\s+(?P<rel>[^,;]{5,160}?),\s+(?P<rest>[^;]{10,})$")
_SPLIT_CAUSE = re.compile(r"(?:,|;|\s-)\s*(?:and\s+)?(?:so|therefore|thus|hence)\s+|\s+because\s+", re.I)


def _has_verb(words: list[str]) -> bool:
    return any(
        w.lower() in CLAUSE_VERBS or (len(w) > 4 and w.lower().endswith("ed") and w[0].islower()) for w in words
    )


def _is_clause(text: str) -> bool:
    words = re.findall(r"[A-Za-z0-9'.,-]+", text)
    content = [w for w in words if w.lower() not in STOPWORDS]
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
            subject_like = first.lower() in SUBJECT_STARTS or not (
                _has_verb([first]) or first.lower().endswith("ing") or first.lower() in STOPWORDS)
            # ", and the UK plans ...": a comma before the conjunction and a determiner or name after it
            # mark a new clause even when the left side's verb is not one the cue list knows
            comma_clause = (m.group(0).lstrip().startswith(",") and (first.lower() in SUBJECT_STARTS or first[:1].isupper())
                            and len(left.split()) >= 4 and len(right.split()) >= 4)
            # ", and licensed associations meet...": a comma, and a modifier and its noun opening a clause
            comma_clause = comma_clause or (
                m.group(0).lstrip().startswith(",") and len(left.split()) >= 4 and len(right.split()) >= 4
                and _is_clause(right) and first.lower() not in CLAUSE_VERBS and not first.lower().endswith("ly")
                and right.split()[1].lower().strip(",.") not in STOPWORDS)
            # "... employ 14,000 people and the standard is backed by ...": a determiner opening a clause
            # with a finite verb, though the left side's verb is not one the cue list knows
            det_clause = (first.lower() in SUBJECT_STARTS and len(left.split()) >= 4
                          and len(re.findall(r"[A-Za-z]{3,}", left)) >= 3
                          and any(x.lower() in CLAUSE_VERBS for x in right.split()[1:6]))
            if (_is_clause(left) and _is_clause(right) and subject_like) or comma_clause or det_clause:
                current.append(left.strip(" ,"))
                start = m.end()
        current.append(piece[start:].strip(" ,"))
        parts.extend(p for p in current if p)
    cleaned = [p.rstrip(" .") for p in parts]
    return [p for p in cleaned if p] or [text]
