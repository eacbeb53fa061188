"""The verdict on one atomic claim: the trained judge's entailment and contradiction over the best
evidence (and pairs of it), the hand-written contradiction rules, and hedges."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from debatebot.core.embedding import Embedder
from debatebot.core.errors import InputError
from debatebot.core.lang import (
    stems_match,
)
from debatebot.core.verdicts import ClaimVerdict
from debatebot.verify.claims.contradiction import number_conflict
from debatebot.verify.claims.limits import (
    COMBINE_TOP,
    CONTRA_MIN,
    ENTAIL_MIN,
    HEDGE_COVERAGE,
    MAX_EVIDENCE,
    PARTLY_COVERAGE,
    PARTLY_ENTAIL,
)
from debatebot.verify.claims.tokens import TextTokens, claim_words, matched_words, weighted_coverage


@dataclass
class Judgement:
    """The verdict on one atomic claim against a list of evidence sentences.

    `evidence` holds indices into the list given to `judge`; `score` in [0, 1] is the judge's
    entailment probability for the deciding evidence (0 for a contradiction)."""

    verdict: ClaimVerdict
    evidence: list[int]
    reason: str
    score: float
    details: dict[str, object] = field(default_factory=dict)


_HEDGES = frozenset(
    "consider considers considering considered consideration may might could possible possibility possibly "
    "potential potentially plan plans planned planning propose proposes proposed proposal discuss discussed "
    "discussing suggest suggested suggests weigh weighing mull mulling threaten threatened likely studying "
    "exploring examining reviewing".split())
# a claim with one of these is hedged itself (then the source's hedge is no overstatement); "propose" and
# "plan" are not: "the ministry will propose changes" asserts outright what "could propose" hedges
_CLAIM_HEDGES = _HEDGES - frozenset("plan plans planned planning propose proposes proposed proposal".split())


def hedged(claim: str, evidence: str, window: int = 5) -> str | None:
    """The hedge word under which `evidence` states what `claim` asserts outright, or None.

    "Finland announced its consideration of withdrawing" does not support "Finland has withdrawn".
    Hand-written: modality is a closed class of words that the small judge reads unreliably (it
    entailed that example at 95%); only a hedge at most `window` words before a claim word counts
    (three more when the claim says "will"), in a sentence that states HEDGE_COVERAGE of the claim, and
    only when the claim has no hedge of its own."""
    c, ev = TextTokens.of(claim), TextTokens.of(evidence)
    if any(t.surface.lower() in _CLAIM_HEDGES for t in c.tokens):
        return None
    every = claim_words(c)  # a hedged sentence that states little of the claim (the other of a pair) hedges nothing
    if weighted_coverage(every, matched_words(every, ev, c)) < HEDGE_COVERAGE:
        return None
    # the claim's words past its subject, names included ("is considering the School Readiness Amendment")
    words = [w for w in every if w.token.number is None and not (
        w.entity and all(x.capital for x in c.tokens[: w.token.pos + 1]))]
    own = {t.stem for t in c.tokens}
    if any(t.surface.lower() == "will" for t in c.tokens):  # "will lower" against "could tighten its rules,
        window += 3  # including a lower limit": a future stated outright reaches further (FRANK lost at 8 for all)
    for i, t in enumerate(ev.tokens):
        if t.surface.lower() not in _HEDGES or t.stem in own:  # the claim says "plans" too
            continue
        if t.surface == "May" and i > 0:  # the month
            continue
        after = ev.tokens[i + 1 : i + 1 + window]
        if any(stems_match(w.token.stem, a.stem) for w in words for a in after):
            return t.surface
    return None


def judge(claim: str, evidence: list[str], embedder: Embedder | None = None, *,
          sims: np.ndarray | None = None, source_numbers: set[str] | None = None, model=None) -> Judgement:
    """Judge one atomic claim against ranked evidence sentences (best first) with the trained judge.

    The judge scores each sentence, and the best few read together in pairs and all three at once (a
    fact is often spread over two or three sentences), as premise against the claim. Contradicted when
    a sentence contradicts it with CONTRA_MIN confidence (more than it entails it), or gives another
    number or date in the claim's slot (`number_conflict`); supported when a sentence, pair or triple
    entails it with ENTAIL_MIN;
    partly supported when entailment reaches PARTLY_ENTAIL or the sentences cover PARTLY_COVERAGE of
    the claim's words; otherwise not in the sources. `embedder`/`sims` are accepted for callers that
    rank with embeddings; the verdict does not use them."""
    from debatebot.judge import get_judge
    from debatebot.judge.scorer import CONTRA, ENTAIL

    c = TextTokens.of(claim)
    words = claim_words(c)
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
    # and the three together: WiCE's gold evidence is often three sentences (dev balanced accuracy 0.576 ->
    # 0.605, "supported" as precise as before; every triple of the top 4 instead: 0.603, 8 more false "supported")
    if len(top) == 3:
        combos.append(top)
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
    hits = [any(h) for h in zip(*[matched_words(words, TextTokens.of(evidence[i]), c) for i in chosen])]
    cov = weighted_coverage(words, hits)
    details["coverage"] = round(cov, 3)
    hedge = next((h for h in (hedged(claim, evidence[i]) for i in chosen) if h), None)
    if p_ent >= ENTAIL_MIN and hedge:
        return Judgement("partly_supported", chosen, f"The source says this only with “{hedge}”: it does not "
                         "state it as a fact.", p_ent, details | {"check": "modality"})
    unnamed = [w.token.surface for w, h in zip(words, hits)
               if not h and ((w.entity and w.token.pos > 0) or w.token.number is not None)]  # a first word may be
    # any word ("Most", "Public"): the claim's subject is checked against the documents (check.py)
    if p_ent >= ENTAIL_MIN and unnamed:
        # supported only when the evidence names every name and number of the claim: the judge reads
        # "in Seville" as near enough to "in Valencia" (it entailed that at 94%)
        return Judgement("partly_supported", chosen, f"The evidence does not name {', '.join(unnamed[:4])}: it does "
                         "not state the claim as made.", p_ent, details | {"check": "names"})
    if p_ent >= ENTAIL_MIN:
        how = "states" if len(chosen) == 1 else "together state"
        return Judgement("supported", chosen, f"The evidence {how} the claim (judge: {p_ent:.0%} entailment).",
                         p_ent, details)
    all_hits = [any(h) for h in zip(*[matched_words(words, TextTokens.of(e), c) for e in evidence[:MAX_EVIDENCE]])]
    missing = [w.token.surface for w, h in zip(words, all_hits) if not h]
    if p_ent >= PARTLY_ENTAIL or weighted_coverage(words, all_hits) >= PARTLY_COVERAGE:
        what = f"; not found: {', '.join(missing[:6])}" if missing else ""
        return Judgement("partly_supported", chosen, f"The evidence bears on the claim but does not state all of it "
                         f"(judge: {p_ent:.0%} entailment{what}).", p_ent, details)
    return Judgement("not_in_sources", chosen if p_ent > 0.1 else [],
                     "The sources do not state this claim.", p_ent, details)
