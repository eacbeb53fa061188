"""How a quotation's words line up with a region: difflib's longest matching blocks (anchored), the
runs the best region leaves unexplained looked up in the other regions, and the rules for each junction
between two matched blocks (ok, ellipsis, speech tag, edit, jump)."""

from __future__ import annotations

from difflib import SequenceMatcher

import numpy as np

from debatebot.verify.quotes.search import QuoteSearch
from debatebot.verify.quotes.word_index import MatchBlock, QuoteToken
from debatebot.verify.speakers import CUE_RE as _CUE

SPEECH_TAG_MAX = 40


class QuoteAlignment(QuoteSearch):
    """A quotation's words aligned with candidate regions, and the junctions between matched blocks."""

    def _align(self, q: list[QuoteToken], qidx: list[int], lo: int, hi: int) -> list[MatchBlock]:
        """Matching blocks between the quotation words `qidx` and corpus tokens [lo, hi)."""
        qkeys = [q[i].key for i in qidx]
        sm = SequenceMatcher(None, qkeys, self.corpus.keys[lo:hi], autojunk=False)
        # qidx is always a contiguous run of quotation words, so a block maps back by offset
        blocks = [MatchBlock(qidx[a], lo + b, size) for a, b, size in sm.get_matching_blocks() if size]
        anchor = 3 if len(qidx) >= 6 else 2 if len(qidx) >= 3 else 1
        anchors = [b for b in blocks if b.size >= anchor]
        if not anchors:
            return []
        kept = []
        for b in blocks:
            if b.size >= anchor:
                kept.append(b)
                continue
            diag = b.pos - b.q
            near = [a for a in anchors if abs((a.pos - a.q) - diag) <= 3]
            if near:
                kept.append(b)
        return kept

    def _fill_from_other_regions(self, q, blocks, regions, used) -> list[MatchBlock]:
        """Quotation runs (3+ words) the best region leaves unexplained, looked up elsewhere."""
        covered = np.zeros(len(q), dtype=bool)
        for b in blocks:
            covered[b.q : b.q + b.size] = True
        runs, i = [], 0
        while i < len(q):
            if not covered[i]:
                j = i
                while j < len(q) and not covered[j]:
                    j += 1
                near_ellipsis = any(q[k].piece_start for k in range(max(0, i - 1), min(j, i + 1)) if k)
                at_edge = i == 0 or j == len(q)  # splices join the head of one passage to the tail of another
                if j - i >= 3 or (j - i >= 2 and (near_ellipsis or at_edge)):
                    runs.append((i, j, 2 if near_ellipsis or at_edge else 3))
                i = j
            else:
                i += 1
        extra: list[MatchBlock] = []
        for a, b, min_size in runs:
            found: list[MatchBlock] = []
            for _, lo, hi in regions:
                if (lo, hi) == used:
                    continue
                cand = [bl for bl in self._align(q, list(range(a, b)), lo, hi) if bl.size >= min_size]
                if sum(x.size for x in cand) > sum(x.size for x in found):
                    found = cand
            extra.extend(found)
        return sorted(blocks + extra, key=lambda bl: bl.q)

    # ---- junction rules ---------------------------------------------------------------------------
    def _junction(self, left: MatchBlock, right: MatchBlock, q: list[QuoteToken]) -> str:
        """'ok' | 'ellipsis' | 'speech_tag' | 'edit' | 'jump'."""
        c = self.corpus
        e1 = left.pos + left.size  # first token after the left block
        p2 = right.pos
        if c.doc[left.pos] != c.doc[p2] or p2 < e1:
            return "jump"
        qgap = right.q - (left.q + left.size)
        sgap = p2 - e1
        if sgap == 0:
            return "ok" if qgap == 0 else "edit"
        s_left, s_right = int(c.sent[e1 - 1]), int(c.sent[p2])
        ellipsis = any(q[i].piece_start for i in range(left.q + left.size, right.q + 1))
        if qgap == 0 and ellipsis:
            near = s_right - s_left <= 1 or any(self._is_speech_tag(a, b) for a, b in self._slides(e1, p2, left, right))
            return "ellipsis" if near else "jump"
        if qgap == 0 and any(self._is_speech_tag(a, b) for a, b in self._slides(e1, p2, left, right)):
            return "speech_tag"
        if s_right - s_left >= 2:
            return "jump"
        if s_right - s_left == 1 and qgap == 0:
            dropped_left = int((c.sent[e1:p2] == s_left).sum())
            dropped_right = int((c.sent[e1:p2] == s_right).sum())
            if dropped_left and dropped_right:
                return "jump"
        return "edit"

    def _slides(self, e1: int, p2: int, left: MatchBlock, right: MatchBlock) -> list[tuple[int, int]]:
        """Equivalent placements of a deletion gap [e1, p2): words repeated on both sides of it can
        be matched on either side ("Committee,” said …, the DNC Rules Committee. “And")."""
        keys = self.corpus.keys
        out = [(e1, p2)]
        for t in range(1, min(right.size, 12) + 1):  # gap slides right
            if keys[e1 + t - 1] != keys[p2 + t - 1]:
                break
            out.append((e1 + t, p2 + t))
        for t in range(1, min(left.size, 12) + 1):  # gap slides left
            if keys[e1 - t] != keys[p2 - t]:
                break
            out.append((e1 - t, p2 - t))
        return out

    def _is_speech_tag(self, p1: int, p2: int) -> bool:
        """May source tokens [p1, p2) be left out silently? Only narration that attributes the
        speech around it ("he said", "Jordan said", "according to X"): 2..40 words with a speech
        verb, between two quoted stretches, within one paragraph or two, holding no word of those
        quotations and no other quoted speech (a quoted title of up to 4 words may be). So "A" and "B" -> "A B", or dropping "said" alone,
        is a dropped word, not a speech tag."""
        c = self.corpus
        if not 2 <= p2 - p1 <= SPEECH_TAG_MAX or int(c.para[p2]) - int(c.para[p1 - 1]) > 1:
            return False
        left, right = int(c.qid[p1 - 1]), int(c.qid[p2])
        if left < 0 or right < 0:
            return False
        gap = c.qid[p1:p2]
        if (gap == left).any() or (gap == right).any() or int((gap >= 0).sum()) > 4:
            return False  # other speech in between (a quoted title of up to 4 words may be)
        return bool(_CUE.search(self._src_text(p1, p2)))
