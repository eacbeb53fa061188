"""The rules of the verdict on an aligned quotation (exact, altered, spliced, truncated, not quoted, not
found; described in `verifier`'s docstring): the word-level diff and explanation, what an omitted
context does to the words, whose reported speech they are, and the speaker check."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from debatebot.core.lang import MEANING_WORDS
from debatebot.core.text import SourceDocument, normalize
from debatebot.core.verdicts import QuoteVerdict, SpeakerVerdict
from debatebot.verify.quotes.align import QuoteAlignment
from debatebot.verify.quotes.results import QuoteResult, Span, SpeakerCheck
from debatebot.verify.quotes.word_index import APOSTROPHES, MatchBlock, QuoteToken
from debatebot.verify.speakers import attribute, quote_intervals, same_speaker


class QuoteRules(QuoteAlignment):
    """The verdict, diff, explanation and speaker check of a quotation's aligned blocks."""

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
