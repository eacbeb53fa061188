"""Quotation verification: is a quotation word for word in the sources, altered, spliced from
separate sentences, truncated so that its meaning changes, or absent — and who said it.

How it works
------------
At init every document is split into word tokens (with character offsets into the *original*
text, its sentence, paragraph and whether it lies inside quotation marks) and a word-trigram index
is built (sorted numpy keys, so a look-up is a binary search). `verify` then:

1. splits the quotation into pieces at ellipses ("...", "…", "[...]"), tokenises it the same way;
2. looks up its trigrams (rare words when it has none in common), groups the hits into candidate
   regions (same document, nearby alignment diagonal);
3. aligns the quotation's words with each region (difflib's longest-block matcher) and keeps the
   best region; quotation words no region explains are then looked for in the other regions, which
   is how pieces of separate passages are found;
4. classifies every junction between matched blocks and decides the verdict.

Rules (what each verdict means)
-------------------------------
Words are compared case-insensitively, then their case is checked. Only word tokens are compared:
quote marks (curly or straight), dashes, whitespace and punctuation are not words.

- ``exact``: every word of the quotation appears, in order, in the source. Allowed differences:
  quote-mark style, dashes, whitespace, punctuation (inside as well as around the quotation —
  a limitation: a moved comma is not reported), the case of the first letter of the quotation,
  of the first word after an ellipsis and of a source word that starts a sentence or quotation; an ellipsis may stand for source words omitted within
  a sentence, running into the *next* sentence, or for a speech tag between two quoted stretches; narration of at most 40 words between two quoted
  stretches of speech may be left out when it attributes them (``“A,” he said. “B”``,
  not ``“A” and “B”``), since it is not the speaker's words.
- ``altered``: a word was changed, added or dropped (or re-cased beyond the first letter), and
  the quotation still comes from one place. A word-level diff is given.
- ``spliced``: the quotation joins pieces that do not follow each other in the source: of two
  documents, in reverse order, of sentences that are not adjacent (even with an ellipsis), or of
  adjacent sentences with words dropped on both sides of the boundary and no ellipsis.
- ``truncated``: the words are exact, but what was left out in the same sentence and the same
  voice (the quoted speech if the match is inside quotation marks, the narration otherwise)
  reverses or limits them: a negation or doubt frame just before the fragment ("there is no
  consensus that …", "not", "whether", "if", "denied that", "it is false that"), a condition or
  exception just after it ("unless", "only if", "except"), a "… is a myth/false" verdict after
  it, or a negation hidden by an ellipsis.
- ``not_quoted``: the words are exact, but the source gives them as reported speech, in its own words
  and outside quotation marks ("Rubio says he opposes gun violence"), in an article that marks its
  quotations: they are not the speaker's quoted words. (Narration no one is said to speak, and a
  document with no quotation marks at all, are quoted as they stand: ``exact``.)
- ``not_found``: fewer than half of the quotation's words (and fewer than two) can be placed in
  any one passage; the nearest passages are returned, ranked with rapidfuzz.

The word alignment uses difflib (its longest-contiguous-block matching suits quotations better
than a minimum-edit alignment, which scatters single common words); candidate ranking uses
rapidfuzz. The junction rules are written here because no library knows about sentences,
ellipses and speech tags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

import numpy as np
from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from debatebot.core.errors import InputError
from debatebot.core.lang import MEANING_WORDS
from debatebot.core.models import SourceSpan
from debatebot.core.text import SourceDocument, normalize
from debatebot.core.verdicts import QuoteVerdict, SpeakerVerdict
from debatebot.verify.quotes.word_index import APOSTROPHES, MatchBlock, QuoteToken, WordIndex, tokenize_quote
from debatebot.verify.speakers import CUE_RE as _CUE
from debatebot.verify.speakers import attribute, quote_intervals, same_speaker

MAX_QUOTE_WORDS = 1000
MAX_TRIGRAM_HITS = 400  # a trigram more frequent than this says little about where a quote is
MAX_UNIGRAM_HITS = 3000
REGION_GAP = 60  # hits whose diagonals differ by more than this many words are separate regions
PAD = 8
TOP_REGIONS = 6
SPEECH_TAG_MAX = 40


class Span(SourceSpan):
    """A verbatim stretch of a source, with a similarity score for nearest passages."""

    score: float | None = Field(default=None, description="Similarity 0..100 (nearest passages only)")


class SpeakerCheck(BaseModel):
    claimed: str | None = None
    actual: str | None = Field(default=None, description="Who the source says spoke these words")
    verdict: SpeakerVerdict = "not_checked"
    mention: Span | None = Field(default=None, description="Where the source names the speaker")


class QuoteResult(BaseModel):
    quote: str
    verdict: QuoteVerdict
    match: Span | None = None
    pieces: list[Span] = Field(default_factory=list, description="Source stretches the quotation was built from")
    diff: list[dict[str, str]] = Field(default_factory=list, description="op: equal|replace|insert|delete|omitted")
    context: Span | None = Field(default=None, description="The matched sentence(s) with one sentence either side")
    nearest: list[Span] = Field(default_factory=list)
    speaker: SpeakerCheck = Field(default_factory=SpeakerCheck)
    explanation: str = ""
    coverage: float = Field(default=0.0, description="Share of the quotation's words found in the source")


# ---------------------------------------------------------------------------------------------
# The verifier
# ---------------------------------------------------------------------------------------------
class QuoteVerifier:
    """Verify quotations against a fixed set of documents (index built once, at init)."""

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

    # ---- public API -------------------------------------------------------------------------------
    def verify(self, quote: str, speaker: str | None = None) -> QuoteResult:
        """Verdict, location, diff, context and speaker check for one quotation."""
        if quote is None or not str(quote).strip():
            raise InputError("The quotation is empty.", hint="Paste the words you want to check.")
        raw = str(quote).strip()
        q = tokenize_quote(raw)
        if not q:
            raise InputError("The quotation has no words to check.", hint="Paste the quoted words themselves.")
        if len(q) > MAX_QUOTE_WORDS:
            raise InputError(f"The quotation is too long ({len(q)} words; at most {MAX_QUOTE_WORDS}).")
        claimed = speaker.strip() if speaker and speaker.strip() else None
        n = len(q)
        regions = self._regions(self._hits(q), n)
        best: list[MatchBlock] = []
        best_score = -1.0
        best_region = None
        for score, lo, hi in regions:
            blocks = self._align(q, list(range(n)), lo, hi)
            matched = sum(b.size for b in blocks)
            span = (blocks[-1].pos + blocks[-1].size - blocks[0].pos) if blocks else 0
            s = matched - 0.001 * span
            if s > best_score:
                best, best_score, best_region = blocks, s, (lo, hi)
        if best:
            best = self._fill_from_other_regions(q, best, regions, best_region)
        matched = sum(b.size for b in best)
        need = 1 if n == 1 else max(2, -(-n // 2))
        if matched < need:
            return self._not_found(raw, q, regions, claimed, matched)
        return self._classify(raw, q, best, claimed)

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

    # ---- verdicts ---------------------------------------------------------------------------------
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

    def _classify(self, raw: str, q: list[QuoteToken], blocks: list[MatchBlock], claimed: str | None) -> QuoteResult:
        c = self.corpus
        diff: list[dict[str, str]] = []
        edits = 0
        jumps = 0
        omitted_neg: list[str] = []
        pieces: list[tuple[int, int]] = []  # corpus token ranges of contiguous source stretches
        # leading quotation words nobody matched
        first = blocks[0]
        if first.q > 0:
            lead_src = self._adjacent_source(first.pos, first.q, before=True)
            diff.append(self._edit_op(lead_src[0], lead_src[1], self._q_text(raw, q, 0, first.q)))
            edits += 1
            piece_lo = lead_src[0] if lead_src[1] > lead_src[0] else first.pos
        else:
            piece_lo = first.pos
        for k, bl in enumerate(blocks):
            if k:
                prev = blocks[k - 1]
                kind = self._junction(prev, bl, q)
                e1 = prev.pos + prev.size
                qtext = self._q_text(raw, q, prev.q + prev.size, bl.q)
                if kind == "jump":
                    jumps += 1
                    pieces.append((piece_lo, e1))
                    piece_lo = bl.pos
                    if qtext:
                        diff.append({"op": "insert", "source": "", "quote": qtext})
                    diff.append({"op": "delete", "source": self._jump_label(prev, bl), "quote": ""})
                elif kind in ("ellipsis", "speech_tag"):
                    src = self._src_text(e1, bl.pos)
                    diff.append({"op": "omitted", "source": src, "quote": "…" if kind == "ellipsis" else ""})
                    if kind == "ellipsis":  # a negation the ellipsis hides, in the speaker's own words
                        voice = {int(c.qid[e1 - 1]), int(c.qid[bl.pos])}
                        omitted_neg += [c.keys[t] for t in range(e1, bl.pos) if int(c.qid[t]) in voice
                                        and (c.keys[t] in MEANING_WORDS or c.keys[t].endswith("n't"))]
                elif kind == "edit":
                    edits += 1
                    diff.append(self._edit_op(e1, bl.pos, qtext))
            edits += self._equal_ops(raw, q, bl, diff)
        last = blocks[-1]
        end_pos = last.pos + last.size
        if last.q + last.size < len(q):
            tail = len(q) - (last.q + last.size)
            a, b = self._adjacent_source(end_pos, tail, before=False)
            diff.append(self._edit_op(a, b, self._q_text(raw, q, last.q + last.size, len(q))))
            edits += 1
            end_pos = max(end_pos, b)
        pieces.append((piece_lo, end_pos))
        matched = sum(bl.size for bl in blocks)
        coverage = round(matched / len(q), 3)
        spans = [self._tok_span(a, b) for a, b in pieces]
        main = max(range(len(pieces)), key=lambda i: pieces[i][1] - pieces[i][0])
        match = spans[main]
        doc = self._by_id[match.doc]
        if jumps:
            verdict: QuoteVerdict = "spliced"
            where = "different documents" if len({s.doc for s in spans}) > 1 else "passages that do not follow each other"
            expl = (f"The quotation joins {len(spans)} pieces from {where}"
                    + (" and also changes words" if edits else "") + "; it is not one continuous statement.")
        elif edits:
            verdict = "altered"
            expl = self._altered_explanation(diff)
        else:
            why = self._truncation(doc, match.start, match.end, pieces[main])
            if omitted_neg:
                why = f"the ellipsis leaves out “{', '.join(dict.fromkeys(omitted_neg))}”"
            if why:
                verdict = "truncated"
                expl = f"The words are in the source, but {why}, which changes their meaning."
            else:
                verdict = "exact"
                expl = "The quotation appears word for word in the source" + (
                    " (with marked omissions)." if any(d["op"] == "omitted" for d in diff) else ".")
                who = self._reported_by(doc, match, pieces[main])
                if who:
                    verdict = "not_quoted"
                    expl = (f"The words are in the source, but as its own account of what {who} said (reported "
                            "speech, with no quotation marks around them), not as a quotation.")
        sp = self._speaker_check(doc, match, claimed)
        if sp.verdict == "misattributed":
            expl = expl.rstrip(".") + f"; the source attributes it to {sp.actual}, not {sp.claimed}."
        return QuoteResult(quote=raw, verdict=verdict, match=match, pieces=spans if len(spans) > 1 else [match],
                           diff=diff, context=self._context(doc, match.start, match.end), speaker=sp,
                           explanation=expl, coverage=coverage)

    def _equal_ops(self, raw: str, q: list[QuoteToken], bl: MatchBlock, diff: list[dict[str, str]]) -> int:
        """Equal ops for a block, split where a word's case differs (beyond a first letter)."""
        c = self.corpus
        doc = c.doc_of(bl.pos)
        edits = 0
        run = bl.pos
        for k in range(bl.size):
            p = bl.pos + k
            qt = q[bl.q + k]
            src = doc.text[int(c.start[p]) : int(c.end[p])].translate(APOSTROPHES)
            if src == qt.surface or (src[1:] == qt.surface[1:] and self._may_recase(p, qt)):
                continue
            if run < p:
                diff.append({"op": "equal", "source": self._src_text(run, p),
                             "quote": self._q_text(raw, q, bl.q + run - bl.pos, bl.q + k)})
            diff.append({"op": "replace", "source": src, "quote": qt.surface})
            edits += 1
            run = p + 1
        if run < bl.pos + bl.size:
            diff.append({"op": "equal", "source": self._src_text(run, bl.pos + bl.size),
                         "quote": self._q_text(raw, q, bl.q + run - bl.pos, bl.q + bl.size)})
        return edits

    def _may_recase(self, p: int, qt: QuoteToken) -> bool:
        """A first letter may change case at the start of the quotation or of a piece after an
        ellipsis, and where the source word starts a sentence or a quotation."""
        c = self.corpus
        if qt.piece_start or p == 0 or c.doc[p] != c.doc[p - 1]:
            return True
        return bool(c.sent[p] != c.sent[p - 1] or (c.qid[p] >= 0 and c.qid[p] != c.qid[p - 1]))

    def _adjacent_source(self, pos: int, count: int, before: bool) -> tuple[int, int]:
        """Up to `count` source tokens next to `pos` in the same sentence and voice (replaced words)."""
        c = self.corpus
        first, last = c.doc_bounds(pos)
        ref = pos if before else pos - 1
        out = pos
        if before:
            while out > first and pos - out < count and c.sent[out - 1] == c.sent[ref] and c.inq[out - 1] == c.inq[ref]:
                out -= 1
            return out, pos
        while out < last and out - pos < count and c.sent[out] == c.sent[ref] and c.inq[out] == c.inq[ref]:
            out += 1
        return pos, out

    def _edit_op(self, a: int, b: int, qtext: str) -> dict[str, str]:
        src = self._src_text(a, b)
        if src and qtext:
            return {"op": "replace", "source": src, "quote": qtext}
        if src:
            return {"op": "delete", "source": src, "quote": ""}
        return {"op": "insert", "source": "", "quote": qtext}

    def _jump_label(self, left: MatchBlock, right: MatchBlock) -> str:
        c = self.corpus
        if c.doc[left.pos] != c.doc[right.pos]:
            return "[… jumps to another document …]"
        lo, hi = sorted((left.pos + left.size, right.pos))
        return f"[… {'skips back' if right.pos < left.pos else f'{hi - lo} words left out'}, across sentences …]"

    @staticmethod
    def _altered_explanation(diff: list[dict[str, str]]) -> str:
        parts = []
        for d in diff:
            if d["op"] == "replace":
                parts.append(f"“{d['source']}” became “{d['quote']}”")
            elif d["op"] == "insert":
                parts.append(f"“{d['quote']}” was added")
            elif d["op"] == "delete":
                parts.append(f"“{d['source']}” was dropped")
        shown = "; ".join(parts[:3]) + ("; …" if len(parts) > 3 else "")
        return f"The quotation differs from the source: {shown}."

    # ---- truncation -------------------------------------------------------------------------------
    def _truncation(self, doc: SourceDocument, start: int, end: int, toks: tuple[int, int]) -> str | None:
        """Why the omitted same-sentence, same-voice context reverses or limits the fragment."""
        c = self.corpus
        p1, p2 = toks
        sent, voice = c.sent[p1], c.inq[p1]
        first, last = c.doc_bounds(p1)
        a = p1
        while a > first and c.sent[a - 1] == sent and c.inq[a - 1] == voice:
            a -= 1
        b = p2
        while b < last and c.sent[b] == sent and c.inq[b] == voice:
            b += 1
        prefix = normalize(doc.text[int(c.start[a]) : start], casefold=True) if a < p1 else ""
        suffix = normalize(doc.text[end : int(c.end[b - 1])], casefold=True) if b > p2 else ""
        if prefix:
            clause = re.split(r"[;:]", prefix)[-1]
            m = _NEG_BEFORE.search(clause) or _FRAME_BEFORE.search(" ".join(clause.split()[-12:]))
            if m:
                return f"the source sentence says “{m.group(0).strip()} …” before these words"
        if suffix:
            m = _LIMIT_AFTER.match(suffix)
            if m:
                return f"the source sentence goes on “… {m.group(0).strip(' ,.')}”"
        return None

    def _reported_by(self, doc: SourceDocument, match: Span, piece: tuple[int, int]) -> str | None:
        """The speaker whose words the source reports in its own words (outside quotation marks, in an
        article that quotes people with them: "Rubio says he opposes gun violence"), else None. Narration
        no one is said to speak, and documents with no quotation marks at all (a transcript), are quoted
        as they stand."""
        if bool(self.corpus.inq[piece[0] : piece[1]].any()) or not quote_intervals(doc):
            return None
        try:
            att = attribute(doc, match.start, match.end)
        except Exception:
            return None
        if att.speaker and att.kind in ("person", "organisation") and att.method in REPORTED_METHODS:
            return att.speaker
        return None

    # ---- speaker, context, not found -------------------------------------------------------------
    def _speaker_check(self, doc: SourceDocument, match: Span, claimed: str | None) -> SpeakerCheck:
        try:
            att = attribute(doc, match.start, match.end)
        except Exception:  # attribution is best effort; a verdict on the words still stands
            att = None
        actual = att.speaker if att is not None else None
        mention = None
        if att is not None and att.mention_start is not None and att.mention_end is not None:
            mention = self._span(doc, att.mention_start, att.mention_end)
        if actual is None:  # the source names no speaker (whether or not one was claimed)
            verdict: SpeakerVerdict = "unattributed"
        elif claimed is None:
            verdict = "not_checked"
        else:
            ok = same_speaker(claimed, actual) or bool(att is not None and att.mention and same_speaker(claimed, att.mention))
            verdict = "correct" if ok else "misattributed"
        return SpeakerCheck(claimed=claimed, actual=actual, verdict=verdict, mention=mention)

    def _context(self, doc: SourceDocument, start: int, end: int) -> Span | None:
        sents = doc.sentences_between(start, end)
        if not sents:
            return None
        i, j = sents[0].id, sents[-1].id
        a = doc.sentences[max(0, i - 1)].start
        b = doc.sentences[min(len(doc.sentences) - 1, j + 1)].end
        return self._span(doc, a, b)

    def _not_found(self, raw, q, regions, claimed, matched) -> QuoteResult:
        c = self.corpus
        cands: dict[tuple[str, int], Span] = {}
        for _, lo, hi in regions:
            doc = c.doc_of(lo)
            for s in doc.sentences_between(int(c.start[lo]), int(c.end[hi - 1])):
                cands.setdefault((doc.doc_id, s.id), self._span(doc, s.start, s.end))
        qn = normalize(raw, casefold=True)
        for sp in cands.values():
            sp.score = round(float(fuzz.partial_ratio(qn, normalize(sp.text, casefold=True))), 1)
        nearest = sorted(cands.values(), key=lambda s: -(s.score or 0))[:3]
        expl = "The quotation is not in the sources" + (
            "; the nearest passages are shown." if nearest else ", and no passage comes close.")
        return QuoteResult(quote=raw, verdict="not_found", nearest=nearest,
                           speaker=SpeakerCheck(claimed=claimed, verdict="not_checked"),
                           explanation=expl, coverage=round(matched / len(q), 3))


# how the speaker finder found a speaker of words outside quotation marks: "X said (that) …", "…, X said",
# "according to X"
REPORTED_METHODS = {"sentence_cue", "cue_after_reported", "according_to"}

_NEG_BEFORE = re.compile(
    r"(?:\b(?:not|never|no|nor|neither|without|hardly|barely|scarcely|cannot|no longer|whether|unless|if)"
    r"|n't)\s*(?:that\s*)?[\"'(\[]*\s*$")
_FRAME_BEFORE = re.compile(
    r"\b(?:no|not|little|lack of|scant)\s+(?:\w+\s+)?(?:evidence|consensus|proof|reason|sign|indication|agreement|"
    r"truth|basis|guarantee|chance)\b"
    r"|\bnot\s+(?:true|the case|clear|certain|correct|so|likely|accurate|proven)\b"
    r"|\b(?:false|untrue|wrong|a myth|a mistake|misleading|unlikely|doubtful|unproven|nonsense|absurd)\s+(?:that|to)\b"
    r"|\b(?:deny|denies|denied|denying|disputes?|disputed|disputing|rejects?|rejected|rejecting|refutes?|refuted)\b"
    r"|(?<!no )\bdoubts?\s+(?:that|whether)\b"
    r"|\b(?:never|not|n't|no one|nobody)\s+(?:said|say|says|claimed|claim|argued|argue|believe[sd]?|think|thinks|"
    r"thought|agree[sd]?|suggest(?:s|ed)?)\b"
    r"|\b(?:fails?|failed|refuses?|refused)\s+to\b"
    r"|\bit is (?:not|no longer)\b|\bwhether\b")
_LIMIT_AFTER = re.compile(
    r"^[\s,;:\-\"')]*(?:not\b|never\b|no longer\b|n't\b|unless\b|only if\b|only when\b|except\b|provided that\b|"
    r"as long as\b|so long as\b|(?:is|are|was|were|would be|will be)\s+(?:false|untrue|wrong|a myth|a mistake|"
    r"misleading|nonsense|not true)\b)")
