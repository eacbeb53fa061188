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

from debatebot.verify.claims.check import (
    AtomicCheck,
    ClaimCheck,
    EvidenceCandidate,
    EvidenceQuote,
    check_claim,
    combine_verdicts,
)
from debatebot.verify.claims.contradiction import number_conflict
from debatebot.verify.claims.limits import CONTRA_MIN, ENTAIL_MIN
from debatebot.verify.claims.rank import coverage_scores, rank_evidence
from debatebot.verify.claims.split import split_claim
from debatebot.verify.claims.tokens import Token, tokenize
from debatebot.verify.claims.verdict import Judgement, hedged, judge

__all__ = [
    "AtomicCheck", "CONTRA_MIN", "ClaimCheck", "ENTAIL_MIN", "EvidenceCandidate", "EvidenceQuote", "Judgement", "Token",
    "check_claim", "combine_verdicts", "coverage_scores", "hedged", "judge", "number_conflict", "rank_evidence",
    "split_claim", "tokenize",
]
