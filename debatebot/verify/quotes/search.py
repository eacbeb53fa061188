"""Where a quotation may be: the documents and their word index, the candidate regions its trigrams
(or, failing those, its rarest words) hit, and the source spans of corpus tokens."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from debatebot.core.text import SourceDocument
from debatebot.verify.quotes.results import Span
from debatebot.verify.quotes.word_index import QuoteToken, WordIndex

MAX_TRIGRAM_HITS = 400  # a trigram more frequent than this says little about where a quote is
MAX_UNIGRAM_HITS = 3000
REGION_GAP = 60  # hits whose diagonals differ by more than this many words are separate regions
PAD = 8
TOP_REGIONS = 6


class QuoteSearch:
    """The documents and their word index (built once, at init), the candidate regions of a quotation
    and the source spans of corpus tokens."""

    def __init__(self, docs: Iterable[SourceDocument]) -> None:
        self.docs = list(docs)
        self._by_id = {d.doc_id: d for d in self.docs}
        self.corpus = WordIndex(self.docs)

    # ---- candidate regions --------------------------------------------------------------------
    def _hits(self, q: list[QuoteToken]) -> list[tuple[int, int]]:
        c = self.corpus
        ids = [c.ids_of.get(t.key, -1) for t in q]
        hits: list[tuple[int, int]] = []
        if len(q) >= 3:
            for i in range(len(q) - 2):
                a, b, d = ids[i], ids[i + 1], ids[i + 2]
                if a < 0 or b < 0 or d < 0:
                    continue
                post = c.postings(c.tri_sorted, c.tri_order, (a * c.V + b) * c.V + d)
                if 0 < len(post) <= MAX_TRIGRAM_HITS:
                    hits.extend((int(p), i) for p in post)
        if not hits:  # short or heavily changed quotation: seed from its rarest words
            known = [(len(c.postings(c.uni_sorted, c.uni_order, w)), i, w) for i, w in enumerate(ids) if w >= 0]
            for n, i, w in sorted(known)[:3]:
                if n <= MAX_UNIGRAM_HITS:
                    hits.extend((int(p), i) for p in c.postings(c.uni_sorted, c.uni_order, w))
        return hits

    def _regions(self, hits: list[tuple[int, int]], n: int) -> list[tuple[int, int, int]]:
        """(score, lo, hi) token windows, best first."""
        if not hits:
            return []
        c = self.corpus
        arr = np.array(hits, dtype=np.int64)
        pos, qi = arr[:, 0], arr[:, 1]
        docs = c.doc[pos].astype(np.int64)
        diag = pos - qi
        order = np.lexsort((diag, docs))
        regions: list[tuple[int, int, int]] = []
        cur: list[int] = []

        def close(idx: list[int]) -> None:
            p, q_ = pos[idx], qi[idx]
            covered: set[int] = set()
            for x in q_.tolist():
                covered.update((x, x + 1, x + 2))
            first, last = c.doc_bounds(int(p[0]))
            lo = max(first, int((p - q_).min()) - PAD)
            hi = min(last, int((p + (n - q_)).max()) + PAD)
            regions.append((len(covered), lo, hi))

        prev = None
        for k in order.tolist():
            key = (int(docs[k]), int(diag[k]))
            if prev is not None and (key[0] != prev[0] or key[1] - prev[1] > REGION_GAP):
                close(cur)
                cur = []
            cur.append(k)
            prev = key
        if cur:
            close(cur)
        regions.sort(key=lambda r: (-r[0], r[1]))
        return regions[:TOP_REGIONS]

    # ---- source spans ----------------------------------------------------------------------------
    def _span(self, doc: SourceDocument, a: int, b: int, score: float | None = None) -> Span:
        return Span(text=doc.text[a:b], doc=doc.doc_id, start=a, end=b, paragraph=doc.paragraph_at(a),
                    title=doc.title, score=score)

    def _tok_span(self, p1: int, p2: int) -> Span:
        """Span covering corpus tokens [p1, p2)."""
        c = self.corpus
        return self._span(c.doc_of(p1), int(c.start[p1]), int(c.end[p2 - 1]))

    def _src_text(self, p1: int, p2: int) -> str:
        if p2 <= p1:
            return ""
        c = self.corpus
        return c.doc_of(p1).text[int(c.start[p1]) : int(c.end[p2 - 1])]

    @staticmethod
    def _q_text(raw: str, q: list[QuoteToken], i: int, j: int) -> str:
        return raw[q[i].start : q[j - 1].end] if j > i else ""
