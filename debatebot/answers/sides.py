"""Which evidence serves a side: the judge's stance (or attack) scores of candidate sentences, ranked;
the strongest distinct ones down to a floor become the side's arguments (greedy choice)."""

from __future__ import annotations

import re

import numpy as np

from debatebot.answers.evidence import Evidence, condense, embed_sentences, is_heading
from debatebot.core.models import Point, Side
from debatebot.judge.motions import ground_motion, invert_motion

MAX_ARGUMENTS = 5
# Points are chosen by rank: within the judged pool, the sentences that serve the side most, strongest first,
# down to a floor: a probability the side must reach (the motion and its inversion averaged) and a lead it must
# have over the other side. The floor belongs to the stance model it was set for (docs/judge.md, "The stance
# model of 2026-12-07"), chosen on the dev data: at 0.4 / 0.2 the dev motions get 3.7 points a side at 0.70
# precision (76% of requests with 3 or more) and the written dev articles 0.60 precision (0.48 points); 0.3 / 0.1
# gives 4.0 points at 0.68 and 0.51 on the articles. The judge before it: 0.82 at 1.6 points with 0.75 / 0.5,
# 0.05 precision on the articles. An empty side fails the student; a wrong-side point misleads them.
SIDE_MIN = 0.4
SIDE_MARGIN = 0.2
# Fewer than MIN_POINTS above the floor: the side is filled by rank from the sentences that still lead for it
# (LEAN_MIN / LEAN_MARGIN), shown apart as "the judge leans this way" (docs/judge.md, "Leaning points"). Dev,
# 2026-12-07: the written dev articles' empty sides 0.35 -> 0.07 of requests (0.3 / 0.1: 0.35), 3 points in 0.65
# (was 0.18); the dev motions' empty sides 0.08 -> 0.04. The leaning points are right half the time (written
# 0.50 of 946, motions 0.50 of 34; the confident ones 0.60 and 0.70): they are labelled, never mixed in.
MIN_POINTS = 3
LEAN_MIN, LEAN_MARGIN = 0.2, 0.02
ONE_READING_MIN, ONE_READING_MARGIN = 0.5, 0.3  # the floor when the motion cannot be inverted (one reading)
ATTACK_MIN, ATTACK_MARGIN = 0.85, 0.7  # the same for a rebuttal's evidence against an argument (dev rebuttals,
# the argument alone: 0.59 of the quotes from the other camp at 0.75 / 0.5, 0.86 at 0.85 / 0.7, 0.92 at 0.9 / 0.8)
# reading an argument's side needs a clearer lead than a point does (one reading, two readings): a wrong reading
# turns the rebuttal against the student's own side. The stance model's probabilities run about half as far
# apart as the judge's before it (which needed 0.5); not re-measured on the dev rebuttals yet
ARGUMENT_SIDE_LEAD = (0.35, 0.25)
RELEVANT_MIN = 0.5  # 1 - P(neither): below this for every sentence, the sources do not cover the motion
# Ranked within the pool: POOL_CENTRE of the pool's mean lead (P(pro) - P(con), weighted by 1 - P(neither)) is
# taken off every sentence before the floors apply, so a pool the judge reads as leaning one way as a whole still
# gives the other side its best-ranked sentences; the probabilities a point shows are these. Dev, 2026-12-07
# (written dev articles, every phrasing and side): 0 / 0.5 / 1.0 -> precision 0.517 / 0.519 / 0.516, requests with
# 3 points 0.65 / 0.69 / 0.70, empty sides 0.073 / 0.031 / 0.021; IBM/ArgKP dev 0 / 0.5: precision 0.684 / 0.667,
# empty sides 0.038 / 0 (docs/judge.md). Half, not all: an article may really be lopsided.
POOL_CENTRE = 0.5


_PREMISE = re.compile(r",?\s+(?:so|therefore|thus|hence|which means that|which means|meaning that)\s+|\s+because\s+",
                      re.I)


def argument_parts(argument: str) -> list[tuple[str, str]]:
    """("claim", text) and, for "X, so Y" / "Y because X", ("premise", X) and ("conclusion", Y)."""
    m = _PREMISE.search(argument)
    if not m:
        return [("claim", argument)]
    left, right = argument[: m.start()].strip(" ,."), argument[m.end():].strip(" ,.")
    if len(left.split()) < 3 or len(right.split()) < 3:
        return [("claim", argument)]
    premise, conclusion = (right, left) if "because" in m.group(0).lower() else (left, right)
    return [("claim", argument), ("premise", premise), ("conclusion", conclusion)]


def stance_probabilities(judge, texts: list[str], motion: str,
                         context: list[str] | None = None) -> tuple[np.ndarray, int]:
    """The judge's pro / con / neither probabilities of each text towards `motion`, and how many
    readings they average: when the motion can be inverted ("ban X" / "allow X"), the mean of the
    reading against the motion and the reading, sides swapped, against the inversion (2); else 1.
    The two readings disagree where the judge reacts to the motion's wording rather than to its
    meaning, and the mean then stays below the bar. With `context` (source sentences in reading
    order), a motion that names something the sources define is read with its definition
    (`ground_motion`)."""
    inverted = invert_motion(motion)
    if context:
        motion = ground_motion(motion, context)
        inverted = ground_motion(inverted, context) if inverted else None
    if not inverted:
        return judge.stance(texts, motion), 1
    both = judge.stance(texts + texts, [motion] * len(texts) + [inverted] * len(texts))  # one batch
    return (both[: len(texts)] + both[len(texts):, [1, 0, 2]]) / 2, 2


def reading_order(pool: list[Evidence]) -> list[str]:
    """The pool's sentences as the documents print them (document, then position)."""
    return [ev.text for ev in sorted(pool, key=lambda e: (e.doc.doc_id, e.sentence.start))]


def score_stance(judge, pool: list[Evidence], motion: str) -> None:
    """Each sentence's stance towards `motion` (`stance_probabilities`), less POOL_CENTRE of the
    pool's mean lead, set on its Evidence."""
    if not pool:
        return
    probs, readings = stance_probabilities(judge, [ev.text for ev in pool], motion, reading_order(pool))
    rel = 1.0 - probs[:, 2]
    shift = POOL_CENTRE * float(rel @ (probs[:, 0] - probs[:, 1]) / max(1e-6, float(rel.sum()))) / 2
    for ev, (pro, con, neither) in zip(pool, probs):
        ev.extra["readings"] = readings
        ev.p_pro, ev.p_con = float(np.clip(pro - shift, 0.0, 1.0)), float(np.clip(con + shift, 0.0, 1.0))
        ev.stance = ev.p_pro - ev.p_con
        ev.relevance = float(1.0 - neither)


def score_attack(judge, pool: list[Evidence], argument: str) -> None:
    """How strongly each sentence answers `argument`: the judge's stance against it (the argument
    read as a motion) or its contradiction of it, whichever is higher; stored as the "against" side."""
    if not pool:
        return
    texts = [ev.text for ev in pool]
    st = judge.stance(texts, argument)
    nli = judge.nli(texts, [argument] * len(texts))
    for ev, (pro, con, neither), (ent, _neu, contra) in zip(pool, st, nli):
        ev.p_con = float(max(con, contra))
        ev.p_pro = float(max(pro, ent))
        ev.stance = ev.p_pro - ev.p_con
        ev.relevance = float(max(1.0 - neither, ent + contra))


def leans(ev: Evidence, sign: float) -> bool:
    """The sentence leads for the side, under the confident floor perhaps (`LEAN_MIN`, `LEAN_MARGIN`;
    with one reading of the motion, the confident floor itself)."""
    if ev.extra.get("readings") != 2:
        return serves(ev, sign)
    mine, other = (ev.p_pro, ev.p_con) if sign > 0 else (ev.p_con, ev.p_pro)
    return mine >= LEAN_MIN and mine - other >= LEAN_MARGIN


def side_bar(readings: int | None) -> tuple[float, float]:
    """(probability, lead) a side needs: the two-readings floor, or the stricter one-reading floor."""
    return (SIDE_MIN, SIDE_MARGIN) if readings == 2 else (ONE_READING_MIN, ONE_READING_MARGIN)


def argument_side(judge, argument: str, motion: str) -> Side | None:
    """The side of `motion` an argument takes, when the judge is sure of it: both readings of the
    motion (as `score_stance`), the lead of one side at least the side bar's; otherwise None. (Dev
    rebuttals: right for 0.89 of the 25% of arguments it decides; the leading side, undecided
    ones included, was right for 0.69 of all.)"""
    probs, readings = stance_probabilities(judge, [argument], motion)
    pro, con = float(probs[0][0]), float(probs[0][1])
    if abs(pro - con) < ARGUMENT_SIDE_LEAD[readings == 2]:
        return None
    return "for" if pro > con else "against"


def answers_side(judge, pool: list[Evidence], motion: str, sign: float) -> list[Evidence]:
    """With the opponent's side known, the other side's evidence answers the argument too: the
    sentences the judge confidently places on side `sign` of `motion` (the side bar of `serves`),
    unless it reads them as agreeing with the argument itself (their attack scores, already set,
    give "pro" 0.5 or more). They are marked `extra["other_side"]` and their attack probability
    raised to their side probability; returned. (Dev rebuttals with the motion and the side given:
    0.78 of the quotes from the other camp.)"""
    if not pool:
        return []
    probs, readings = stance_probabilities(judge, [ev.text for ev in pool], motion, reading_order(pool))
    lo, lead = side_bar(readings)
    out = []
    for ev, (pro, con, _neither) in zip(pool, probs):
        mine, other = (float(pro), float(con)) if sign > 0 else (float(con), float(pro))
        if mine >= lo and mine - other >= lead and ev.p_pro < 0.5:
            ev.extra["other_side"] = True
            ev.p_con = max(ev.p_con, mine)
            ev.stance = ev.p_pro - ev.p_con
            out.append(ev)
    return out


def rebuts(ev: Evidence) -> bool:
    """A rebuttal may quote this sentence: the judge is sure it answers the argument, or it is the
    other side's evidence (`answers_side`)."""
    return bool(ev.extra.get("other_side")) or serves(ev, -1.0, attack=True)


def serves(ev: Evidence, sign: float, attack: bool = False) -> bool:
    """The judge is sure this sentence serves the side (`attack`: answers the argument being rebutted)."""
    mine, other = (ev.p_pro, ev.p_con) if sign > 0 else (ev.p_con, ev.p_pro)
    lo, lead = (ATTACK_MIN, ATTACK_MARGIN) if attack else side_bar(ev.extra.get("readings"))
    return mine >= lo and mine - other >= lead


def attach_speakers(pool: list[Evidence]) -> None:
    from debatebot.verify.speakers import attribute, shown_speaker

    for ev in pool:
        try:
            att = attribute(ev.doc, ev.sentence.start, ev.sentence.end)
        except Exception:
            att = None
        if att is None:
            ev.speaker = None
            continue
        ok = att.kind in ("person", "organisation") and att.method != "passage_speaker"  # scare quotes have no speaker
        if ok and att.mention_start is not None:
            # a name found in a heading ("...: Military Necessity vs. ...") is not a speaker
            s = ev.doc.sentence_at(att.mention_start)
            ok = s is None or not is_heading(ev.doc.text[s.start : s.end])
        ev.speaker = shown_speaker(ev.doc, att) if ok else None


def pick_arguments(embedder, pool: list[Evidence], sign: float, relevance_to: np.ndarray | None,
               limit: int = MAX_ARGUMENTS, used: set | None = None,
               focused: bool = False, qualifies=None, heads: list[Evidence] | None = None) -> list[list[Evidence]]:
    """Greedy: the sentences the judge confidently places on this side, strongest first; each
    argument may take one neighbouring sentence that the judge also places on this side; no two
    arguments share evidence or repeat each other. A sentence the judge is unsure of is left out.
    `qualifies` replaces the side test (`serves`) when given; `heads` (extended) are the arguments
    already chosen, which a new one may not repeat."""
    used = set() if used is None else used
    strength = {}
    for i, ev in enumerate(pool):
        if not (qualifies(ev) if qualifies else serves(ev, sign, attack=focused)):
            continue
        p_side = ev.p_pro if sign > 0 else ev.p_con
        rel = float(relevance_to[i]) if relevance_to is not None else ev.relevance
        p_other = ev.p_con if sign > 0 else ev.p_pro
        if focused:  # a rebuttal must answer the argument: relevance weighs as much as confidence
            strength[ev.key] = p_side * (0.5 + max(0.0, rel)) - 0.001 * ev.rank
        else:  # the side's lead first, then closeness to the motion
            strength[ev.key] = (p_side - 0.5 * p_other) * (0.8 + 0.5 * max(0.0, rel)) - 0.005 * ev.rank
    order = sorted((ev for ev in pool if ev.key in strength), key=lambda e: -strength[e.key])
    embed_sentences(embedder, order)
    groups: list[list[Evidence]] = []
    heads = [] if heads is None else heads
    for ev in order:
        if len(groups) >= limit:
            break
        if ev.key in used:
            continue
        if ev.vec is not None and any(h.vec is not None and float(ev.vec @ h.vec) > 0.8 for h in heads):
            continue
        group = [ev]
        used.add(ev.key)
        # a supporting neighbour: the next/previous sentence of the same paragraph, same side
        for other in order:
            if other.key in used or other.doc.doc_id != ev.doc.doc_id:
                continue
            if other.sentence.paragraph == ev.sentence.paragraph and abs(other.sentence.id - ev.sentence.id) == 1:
                group.append(other)
                used.add(other.key)
                break
        group.sort(key=lambda e: e.sentence.id)
        groups.append(group)
        heads.append(ev)
    return groups


def pick_side(embedder, pool: list[Evidence], sign: float, relevance_to: np.ndarray | None,
              limit: int = MAX_ARGUMENTS, used: set | None = None) -> tuple[list[list[Evidence]], int]:
    """The side's arguments: those above the confident floor (`pick_arguments`), then, while fewer
    than MIN_POINTS, the best-ranked of the sentences that still lead for the side (`leans`).
    Returns the groups and how many of them are confident (the rest lean)."""
    used = set() if used is None else used
    heads: list[Evidence] = []
    groups = pick_arguments(embedder, pool, sign, relevance_to, limit=limit, used=used, heads=heads)
    sure = len(groups)
    if sure < min(MIN_POINTS, limit):
        groups += pick_arguments(embedder, pool, sign, relevance_to, limit=min(MIN_POINTS, limit) - sure, used=used,
                                 qualifies=lambda ev: leans(ev, sign) and not serves(ev, sign), heads=heads)
    return groups, sure


def make_point(group: list[Evidence], side: Side | None, leaning: bool = False) -> Point:
    head = max(group, key=lambda e: abs(e.stance))
    claim = f"“{condense(head.text, 15)}”"  # the source's own words, shown as a quotation
    sure = head.p_pro if side == "for" else head.p_con if side == "against" else None
    return Point(claim=claim, side=side, quotes=[e.quote() for e in group], holder=head.speaker,
                 confidence=round(float(sure), 2) if sure is not None else None, leaning=leaning)


def undecided(pool: list[Evidence], sign: float, used: set, n: int = 3) -> list[Evidence]:
    """Sentences about the motion (1 - P(neither) >= RELEVANT_MIN) that the judge places on
    neither side with confidence, closest to the motion first, one per distinct text."""
    seen, out = set(), []
    for ev in sorted(pool, key=lambda e: -(e.extra["cos"] + 0.3 * e.extra["lex"])):
        text = " ".join(ev.text.split()).casefold()
        if ev.key in used or text in seen or ev.relevance < RELEVANT_MIN or serves(ev, sign) or serves(ev, -sign):
            continue
        seen.add(text)
        out.append(ev)
        if len(out) == n:
            break
    attach_speakers(out)
    return out


def position_of(evs: list[Evidence]) -> str:
    """A speaker's position from their sentences: "for" / "against" when the judge is sure of
    sentences on one side only, "mixed" when on both; else, from the sentences that lead
    (`leans`), "leans for" / "leans against" when they agree; else "neutral / factual"."""
    n_for = sum(1 for e in evs if serves(e, 1.0))
    n_against = sum(1 for e in evs if serves(e, -1.0))
    if n_for or n_against:
        return "mixed" if n_for and n_against else "for" if n_for else "against"
    l_for = sum(1 for e in evs if leans(e, 1.0))
    l_against = sum(1 for e in evs if leans(e, -1.0))
    if l_for != l_against and not (l_for and l_against):
        return "leans for" if l_for else "leans against"
    return "neutral / factual"


def holders_of(pool: list[Evidence]) -> dict[str, list[Evidence]]:
    """The pool's sentences by speaker, every reference to one speaker ("The council", "Harbour
    Council"; "Duarte", "Ines Duarte") under its fullest name."""
    from debatebot.verify.speakers import same_speaker

    groups: list[tuple[list[str], list[Evidence]]] = []
    for ev in sorted(pool, key=lambda e: -len((e.speaker or "").split())):  # full names first
        if not ev.speaker:
            continue
        # one group only when the name is the same speaker as every name in it, and no other group
        # would take it ("Smith" beside "Ann Smith" and "Bob Smith" stays a row of its own)
        fits = [g for g in groups if " and " not in ev.speaker and all(same_speaker(ev.speaker, n) for n in g[0])]
        group = fits[0] if len(fits) == 1 else next((g for g in groups if ev.speaker in g[0]), None)
        if group is None:
            groups.append(([ev.speaker], [ev]))
        else:
            group[0].append(ev.speaker)
            group[1].append(ev)
    return {max(names, key=lambda n: (len(n.split()), len(n))): evs for names, evs in groups}
