"""Ranking evidence sentences for a claim: BM25, word coverage and embeddings, fused by rank."""

from __future__ import annotations

from collections.abc import Sequence

import bm25s
import numpy as np

from debatebot.core.embedding import Embedder
from debatebot.core.lang import (
    STOPWORDS,
)
from debatebot.verify.claims.limits import RRF_K
from debatebot.verify.claims.tokens import (
    TextTokens,
    claim_words,
    is_acronym,
    matched_words,
    tokenize,
    weighted_coverage,
)


def _bm25_scores(claim: str, sentences: Sequence[str]) -> np.ndarray:
    corpus = [[t.stem for t in tokenize(s) if t.stem not in STOPWORDS or is_acronym(t)] or ["\u2205"]
              for s in sentences]
    query = [t.stem for t in tokenize(claim) if t.stem not in STOPWORDS or is_acronym(t)]
    model = bm25s.BM25()
    model.index(corpus, show_progress=False)
    query = [q for q in query if q in model.vocab_dict]
    if not query:
        return np.zeros(len(sentences), dtype=np.float32)
    return np.asarray(model.get_scores(query), dtype=np.float32)


def _embed_sims(claim: str, sentences: Sequence[str], embedder: Embedder | None,
                vectors: np.ndarray | None, claim_vector: np.ndarray | None) -> np.ndarray | None:
    if embedder is None:
        return None
    if vectors is None:
        vectors = embedder.embed(list(sentences))
    q = claim_vector if claim_vector is not None else embedder.embed([claim])[0]
    return np.asarray(vectors) @ q


def coverage_scores(claim: str, sentences: Sequence[str]) -> np.ndarray:
    """Weighted share of the claim's content words (stems, prefixes, acronyms) each sentence covers."""
    c = TextTokens.of(claim)
    words = claim_words(c)
    if not words:
        return np.zeros(len(sentences), dtype=np.float32)
    return np.asarray([weighted_coverage(words, matched_words(words, TextTokens.of(s), c)) for s in sentences], dtype=np.float32)


def rank_evidence(claim: str, sentences: list[str], embedder: Embedder | None = None, k: int = 5,
                  *, vectors: np.ndarray | None = None, claim_vector: np.ndarray | None = None) -> list[int]:
    """Indices of the `k` best evidence sentences for `claim`, best first.

    Three rankings fused by reciprocal rank fusion: BM25 (bm25s, on stemmed tokens), the claim
    coverage used by `judge` (catches prefixes and acronyms BM25 misses: signed/signatory, US/U.S.),
    and embedding cosine when an embedder is given. `vectors` / `claim_vector` may carry precomputed
    unit embeddings of the sentences / the claim."""
    if not sentences:
        return []
    n = len(sentences)
    lex = _bm25_scores(claim, sentences)
    cov = coverage_scores(claim, sentences)
    scores = [lex, cov]
    sims = _embed_sims(claim, sentences, embedder, vectors, claim_vector)
    if sims is not None:
        scores.append(sims)
    fused = np.zeros(n, dtype=np.float64)
    for sc in scores:
        order = np.argsort(-sc, kind="stable")
        fused[order] += 1.0 / (RRF_K + np.arange(1, n + 1))
    # tie-break on coverage then the lexical score so fused ties keep a meaningful order
    ranked = sorted(range(n), key=lambda i: (-fused[i], -cov[i], -lex[i], i))
    return ranked[: max(0, k)]
