"""What a point says about its evidence: the holder it names must be named there, and its claim must
be entailed by it (the judge)."""

from __future__ import annotations

import re

from debatebot.core.lang import NAME_PARTICLES
from debatebot.core.models import Passage, Point
from debatebot.core.settings import JudgeSettings
from debatebot.core.text import SourceDocument, clip, normalize

_NAME_WORD = re.compile(r"[^\W\d_][\w'\-.]*")


def holder_named(holder: str, texts: list[str]) -> bool:
    """Whether `holder` is named in any of `texts`: the whole name, or its last significant word (a
    surname, an organisation's acronym), matched as a whole word, ignoring case and quote/dash style."""
    name = normalize(holder, casefold=True).strip(" .,;:")
    if not name:
        return True
    words = [w.strip(".'-") for w in _NAME_WORD.findall(name)]
    words = [w for w in words if len(w) >= 2 and w not in NAME_PARTICLES]
    keys = [name] + (words[-1:] if words and len(words[-1]) >= 3 else [])
    for t in texts:
        nt = normalize(t or "", casefold=True)
        for k in keys:
            if re.search(r"(?<!\w)" + re.escape(k) + r"(?!\w)", nt):
                return True
    return False


def check_holders(points: list[Point], passages: list[Passage],
                  docs: dict[str, SourceDocument]) -> tuple[list[Point], list[str]]:
    """A point's `holder` (who holds the position) must be named where its evidence comes from: in the
    passages its verified quotations cite, the paragraphs holding them, or as their speaker. A holder
    found in none of these, and not the speaker the attribution rules give a quotation
    (`verify.speakers`: "“…,” he stated" after a named speaker), is dropped from the point (the
    evidence stays) and reported."""
    from debatebot.verify.speakers import attribute, same_speaker

    by_id = {p.id: p for p in passages}
    out, notices = [], []
    for point in points:
        if not point.holder or not point.quotes:
            out.append(point)
            continue
        texts: list[str] = []
        for q in point.quotes:
            texts += [q.text, q.speaker or ""]
            p = by_id.get(q.passage_id or "")
            if p is not None:
                texts.append(p.text)
            doc = docs.get(q.doc)
            if doc is not None and doc.paragraphs:
                a, b = doc.paragraph_at(q.start), doc.paragraph_at(max(q.start, q.end - 1))
                texts.append(doc.text[doc.paragraphs[a].start : doc.paragraphs[b].end])
        if holder_named(point.holder, texts) or any(
                (d := docs.get(q.doc)) is not None and same_speaker(point.holder, attribute(d, q.start, q.end).speaker or "")
                for q in point.quotes):
            out.append(point)
        else:
            out.append(point.model_copy(update={"holder": None}))
            notices.append(f"The answer said “{clip(point.claim, 60)}” is held by {clip(point.holder, 60)}, who is "
                           "not named in the passages it cites; the name was dropped.")
    return out, notices


def check_claims(points: list[Point], passages: list[Passage], docs: dict[str, SourceDocument],
                 judge=None, settings: JudgeSettings | None = None) -> tuple[list[Point], list[str]]:
    """Judge each point's claim against its verified quotations and the passages they come from.

    A claim its evidence does not entail (`judge.claim_entail_min`) keeps its quotations (they are
    verbatim) but is marked "not stated by its sources" (verdict `not_entailed`, or `contradicted` when
    the judge reads a contradiction of `judge.claim_contra_min`) and reported in a notice. A point with
    no verified quotation is marked `unsupported`: it is not shown as evidence. Returns new points and
    the notices. `settings`: the judge section (default: the environment's)."""
    from debatebot.core.settings import get_settings
    from debatebot.judge import get_judge
    from debatebot.judge.scorer import CONTRA, ENTAIL

    j = judge or get_judge()
    bar = settings or get_settings().judge
    by_id = {p.id: p for p in passages}
    out: list[Point] = []
    notices: list[str] = []
    for point in points:
        claim = point.claim.strip()
        if not point.quotes:
            out.append(point.model_copy(update={"verdict": "unsupported"}))
            notices.append(f"The point “{clip(claim, 70)}” has no verified quotation: it is not shown as evidence.")
            continue
        if not claim or claim == "(no claim given)":
            out.append(point)
            continue
        premises = [" ".join(q.text for q in point.quotes)]
        for q in point.quotes:
            p = by_id.get(q.passage_id or "")
            if p is not None and p.text not in premises:
                premises.append(p.text)
        probs = j.nli(premises, [claim] * len(premises))
        ent, con = float(probs[:, ENTAIL].max()), float(probs[:, CONTRA].max())
        if ent >= bar.claim_entail_min:
            out.append(point.model_copy(update={"verdict": point.verdict or "entailed"}))
        elif con >= bar.claim_contra_min:
            out.append(point.model_copy(update={"verdict": "contradicted"}))
            notices.append(f"The claim “{clip(claim, 70)}” is contradicted by the passages it cites (judge).")
        else:
            out.append(point.model_copy(update={"verdict": "not_entailed"}))
            notices.append(f"The claim “{clip(claim, 70)}” is not stated by the passages it cites (judge); "
                           "read its quotations.")
    return out, notices
