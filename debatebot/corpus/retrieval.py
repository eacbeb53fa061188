"""Hybrid retrieval: dense (Chroma) + BM25 (bm25s), fused by reciprocal rank fusion, then
diversified with maximal marginal relevance so the top results are not copies of one passage."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import bm25s
import numpy as np

from debatebot.core.errors import EmptyIndexError, InputError
from debatebot.core.models import Passage
from debatebot.core.settings import Settings
from debatebot.corpus.embeddings import Embedder
from debatebot.corpus.store import Store


def clean_query(query: str, max_chars: int) -> str:
    if query is None or not str(query).strip():
        raise InputError("The question is empty.", hint="Type a question, claim or motion.")
    q = "".join(c if c.isprintable() or c in "\n\t" else " " for c in str(query))
    q = " ".join(q.split())
    if not q:
        raise InputError("The question has no readable characters.")
    return q[:max_chars]


@dataclass
class _Bm25Index:
    generation: int
    ids: list[str]
    texts: list[str]
    metas: list[dict]
    doc_of: np.ndarray  # doc index per chunk
    doc_names: list[str]
    model: bm25s.BM25 | None
    row_of: dict[str, int]  # chunk id -> position in ids/texts/metas


def _repeated_share(a: dict, b: dict) -> float:
    """Share of the shorter of two chunks' text that the other repeats (0 across documents)."""
    if a["doc"] != b["doc"] or not (a["start"] < b["end"] and b["start"] < a["end"]):
        return 0.0
    shared = min(a["end"], b["end"]) - max(a["start"], b["start"])
    return shared / max(1, min(a["end"] - a["start"], b["end"] - b["start"]))


def _tokenize(texts: list[str]):
    return bm25s.tokenize(texts, stopwords="en", show_progress=False)


class Retriever:
    def __init__(self, store: Store, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self._bm25: _Bm25Index | None = None
        self._lock = threading.Lock()
        self._state: tuple[float, int, int] | None = None  # (checked at, generation, chunk count)

    def state(self) -> tuple[int, int]:
        """(generation, chunk count), re-read from the store at most every `retrieval.state_ttl` seconds."""
        now = time.monotonic()
        st = self._state
        if st is None or now - st[0] > self.settings.retrieval.state_ttl:
            st = (now, self.store.generation(), self.store.count())
            self._state = st
        return st[1], st[2]

    def invalidate(self) -> None:
        self._state = None

    # ---- BM25 side -----------------------------------------------------------------------------
    def bm25(self) -> _Bm25Index:
        gen = self.state()[0]
        with self._lock:
            if self._bm25 is not None and self._bm25.generation == gen:
                return self._bm25
            ids: list[str] = []
            texts: list[str] = []
            metas: list[dict] = []
            for i, t, m in self.store.all_chunks():
                ids += i
                texts += t
                metas += m
            names = sorted({m["doc"] for m in metas})
            pos = {n: k for k, n in enumerate(names)}
            doc_of = np.array([pos[m["doc"]] for m in metas], dtype=np.int32)
            model = None
            if texts:
                model = bm25s.BM25()
                model.index(_tokenize(texts), show_progress=False)
            self._bm25 = _Bm25Index(gen, ids, texts, metas, doc_of, names, model, {c: j for j, c in enumerate(ids)})
            return self._bm25

    def _bm25_hits(self, idx: _Bm25Index, query: str, n: int, docs: list[str] | None) -> list[str]:
        if idx.model is None:
            return []
        tokens = _tokenize([query])
        if not tokens.vocab or not any(tokens.ids):
            return []
        mask = None
        if docs:
            only = set(docs)
            wanted = [k for k, name in enumerate(idx.doc_names) if name in only]
            mask = np.isin(idx.doc_of, wanted).astype(np.float32)
            if not mask.any():
                return []
        n = min(n, len(idx.ids))
        # n_threads=0 scores in this thread (1 would start a thread pool on every query)
        res, scores = idx.model.retrieve(tokens, k=n, show_progress=False, weight_mask=mask, n_threads=0)
        return [idx.ids[int(j)] for j, s in zip(res[0], scores[0]) if s > 0]

    def _dense_hits(self, idx: _Bm25Index, qvec: np.ndarray, n: int, docs: list[str] | None) -> list[str]:
        """Chunks ranked by their best sentence: the nearest sentence vectors, each mapped to the
        chunk(s) holding it. Matching sentences rather than whole chunks keeps a one-sentence fact
        findable in a long chunk, and avoids chunk vectors that are averages of many sentences.
        Chunks written after the snapshot `idx` was taken are left out until it is refreshed."""
        out: list[str] = []
        seen: set[str] = set()
        for chunk_ids in self.store.query_sentences(qvec, 2 * n, docs):
            for cid in chunk_ids:
                if cid in idx.row_of and cid not in seen:
                    seen.add(cid)
                    out.append(cid)
        return out[:n]

    # ---- search --------------------------------------------------------------------------------
    def search(self, query: str, k: int | None = None, docs: list[str] | None = None) -> list[Passage]:
        q = clean_query(query, self.settings.limits.max_query_chars)
        k = k or self.settings.retrieval.top_k
        total = self.state()[1]
        if total == 0:
            raise EmptyIndexError("Nothing is indexed yet.", hint="Run `debatebot index` (it indexes seeds/ by default).")
        n = min(self.settings.retrieval.candidates, total)
        qvec = self.embedder.embed([q])[0] if self.settings.retrieval.method != "bm25" else None
        mode = self.settings.retrieval.method
        idx = self.bm25()  # one snapshot for the whole search, even if the index changes meanwhile
        dense = self._dense_hits(idx, qvec, n, docs) if qvec is not None else []
        sparse = self._bm25_hits(idx, q, n, docs) if mode != "dense" else []
        fused: dict[str, float] = {}
        for hits in (dense, sparse):
            for rank, cid in enumerate(hits):
                fused[cid] = fused.get(cid, 0.0) + 1.0 / (self.settings.retrieval.rrf_k + rank + 1)
        if not fused:
            return []
        ranked = sorted(fused, key=lambda c: -fused[c])[: max(4 * k, 20)]
        info = {c: (idx.texts[idx.row_of[c]], idx.metas[idx.row_of[c]]) for c in ranked}
        chosen = self._mmr(ranked, fused, info, k)
        return [self._passage(c, info[c], fused[c]) for c in chosen]

    def _mmr(self, ranked: list[str], fused: dict[str, float], info, k: int) -> list[str]:
        lam = self.settings.retrieval.mmr_lambda
        if lam >= 1.0 or len(ranked) <= 1:
            return self._dedupe(ranked, info, k)
        vec = self.store.embeddings_for(ranked)
        top = fused[ranked[0]]
        chosen: list[str] = []
        rest = list(ranked)
        while rest and len(chosen) < k:
            best, best_val = rest[0], -1e9
            for c in rest:
                rel = fused[c] / top
                div = 0.0
                m = info[c][1]
                for s in chosen:
                    ms = info[s][1]
                    if ms["doc"] != m["doc"]:
                        # across documents: similar text is a copy (syndicated article, duplicate upload)
                        if c in vec and s in vec:
                            div = max(div, float(vec[c] @ vec[s]))
                    else:  # within a document: only the share of text repeated by overlapping chunks
                        div = max(div, _repeated_share(m, ms))
                val = lam * rel - (1 - lam) * div
                if val > best_val:
                    best, best_val = c, val
            chosen.append(best)
            rest.remove(best)
        return chosen

    @staticmethod
    def _dedupe(ranked: list[str], info, k: int) -> list[str]:
        """Relevance order, skipping a chunk that repeats more than half of an already chosen one."""
        chosen: list[str] = []
        for c in ranked:
            m = info[c][1]
            if not any(_repeated_share(m, info[s][1]) > 0.5 for s in chosen):
                chosen.append(c)
                if len(chosen) >= k:
                    break
        return chosen

    @staticmethod
    def _passage(cid: str, item, score: float) -> Passage:
        text, m = item
        sids = [int(x) for x in str(m.get("sentence_ids", "")).split(",") if x != ""]
        return Passage(
            id=cid, text=text, doc=m["doc"], title=m.get("title", ""), paragraph=int(m["paragraph"]),
            paragraph_end=int(m.get("paragraph_end", m["paragraph"])), start=int(m["start"]), end=int(m["end"]),
            sentence_ids=sids, score=round(float(score), 6),
        )
