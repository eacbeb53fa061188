"""The claim checker's thresholds (tuned on the WiCE / FRANK dev splits only, with general rules)."""

from __future__ import annotations

ENTAIL_MIN = 0.60  # judge entailment probability for "supported" (precision first)
CONTRA_MIN = 0.60  # judge contradiction probability for "contradicted"
PARTLY_ENTAIL = 0.25  # judge entailment for "partly supported"
COMBINE_TOP = 3  # the best sentences also judged in pairs (facts spread over two sentences)
FULL_COVERAGE = 0.95  # a sentence that states every other word of the claim: its other number contradicts
SUPPORTED_COVERAGE = 0.80  # the explicit negation check needs the claim this covered
HEDGE_COVERAGE = 0.34  # a hedged sentence must state this share of the claim to hedge it (not the other of a pair)
PARTLY_COVERAGE = 0.45  # share of the claim's words in the evidence: below this (and little entailment) not in the sources
ALIGNED_COVERAGE = 0.5  # a sentence "talks about the claim" (for contradiction checks)
SWAP_COVERAGE = 0.3  # a name in the claim's name slot needs less: the shared slot aligns the sentence
NAME_WEIGHT = 1.5  # coverage weight of a capitalised word
NUMBER_WEIGHT = 2.0  # coverage weight of a number
GENERIC_WEIGHT = 0.5  # coverage weight of a common word (GENERIC_WORDS)
MAX_EVIDENCE = 4  # sentences a verdict may combine
EXTRA_EVIDENCE = 2  # candidates beyond the top k judged because they hold a claim name or number
NUMBER_SLOT_COVERAGE = 0.75  # a different number contradicts when the rest of the claim is this covered
RRF_K = 10  # reciprocal rank fusion constant (small lists)
