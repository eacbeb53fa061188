"""The offline evidence engine: answers every mode by selecting, grouping, ordering and labelling
verbatim source sentences. Deterministic. Which side a sentence serves, whether it is relevant and
whether a claim holds come from the trained judge (debatebot.judge); retrieval and diversity from
the embeddings."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, Protocol

import numpy as np

from debatebot.answers.compose import (
    LEANING_LABEL,
    check_answer,
    context_block,
    finish,
    heading,
    note,
    quote_answer,
    side_blocks,
    table,
)
from debatebot.answers.evidence import (
    Evidence,
    around,
    condense,
    cosine_to,
    figures_in,
    key_figures,
    lexical_overlap,
    sentence_pool,
)
from debatebot.answers.markdown import to_markdown
from debatebot.answers.practice import NOTHING_AGAINST, NOTHING_ANSWERS, settle_reply
from debatebot.answers.sides import (
    RELEVANT_MIN,
    answers_side,
    argument_parts,
    argument_side,
    attach_speakers,
    holders_of,
    make_point,
    pick_arguments,
    pick_side,
    position_of,
    rebuts,
    score_attack,
    score_stance,
    serves,
    undecided,
)
from debatebot.answers.stream import AnswerStream

# two lines, not isort's twelve: this module is at tests/test_architecture.py's MAX_LINES
# isort: off
from debatebot.core.models import Answer, Block, Figure, Mode, Passage, Point, Points, Position, QuoteLine, Request
from debatebot.core.models import StudentClaim
# isort: on
from debatebot.core.text import SourceDocument
from debatebot.corpus.embeddings import Embedder


class QuoteSource(Protocol):
    def get(self) -> Any: ...  # a QuoteVerifier


ASK_RELEVANT_MIN = 0.35  # cosine + half the question-word overlap of the best sentence: below, "not in the sources"
ASK_WEAK = 0.55  # below this the answer says the match is weak
POOL_MAX = 40  # sentences judged per answer (the closest to the question): bounds the judge's cost (4.3 ms a pair)
STANCE_POOL_MAX = 30  # ... when each is read against the motion and its inversion (argue, summary)


class OfflineBackend:
    name = "offline"
    label = "offline evidence engine (extractive)"

    def __init__(self, embedder: Embedder, quotes: QuoteSource | None = None, judge=None) -> None:
        from debatebot.corpus.embeddings import CachedEmbedder

        self.embedder = embedder if isinstance(embedder, CachedEmbedder) else CachedEmbedder(embedder)
        self._judge = judge
        self.quotes = quotes  # the engine's cached verifier; without one, a verifier over the request's docs

    # ---- shared helpers --------------------------------------------------------------------------
    @property
    def judge(self):
        if self._judge is None:
            from debatebot.judge import get_judge

            self._judge = get_judge()
        return self._judge

    def warm(self, judge: bool = True) -> None:
        """Load the embedding model and (`judge`) the judge before the first question: their
        onnxruntime sessions are made on first use. The embedder is warmed past its cache, so no
        warm-up vector stands in for a source sentence's stored one. The sources' sentence vectors
        need no warming: they are read from the index per question."""
        self.embedder.inner.embed(["A warm-up sentence."])
        if judge:
            self.judge.stance(["A warm-up sentence."], "This house would warm up")
            self.judge.nli(["A warm-up sentence."], ["A warm-up."])  # its own model when stance has one

    # ---- modes -----------------------------------------------------------------------------------
    def answer(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> Answer:
        handler = {
            Mode.ask: self._ask, Mode.argue: self._argue, Mode.rebut: self._rebut, Mode.check: self._check,
            Mode.quote: self._quote, Mode.summary: self._summary, Mode.practice: self._practice,
        }[request.mode]
        return handler(request, passages, docs)

    def stream(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> AnswerStream:
        return AnswerStream(self._lines(self.answer(request, passages, docs)))

    @staticmethod
    def _lines(ans: Answer) -> Generator[str, None, Answer]:
        """The body's Markdown line by line (the sources list is the answer's, shown by each surface)."""
        yield from to_markdown(ans, sources=False).splitlines(keepends=True)
        return ans

    def _ask(self, req: Request, passages, docs) -> Answer:
        pool = sentence_pool(passages, docs)
        ans = Answer(mode=Mode.ask, backend="offline")
        if not pool:
            ans.verdict = "not_in_sources"
            return finish(ans, [note("nothing in the indexed documents answers this question.",
                                     lead="Not in the sources:")], extractive=True)
        q = req.text
        cos = cosine_to(self.embedder, q, pool)
        lex = np.array([lexical_overlap(q, ev.text) for ev in pool], dtype=np.float32)
        from debatebot.verify.answerable import TOP, judge_question, wants_figure, wants_name

        wants_number = wants_figure(q) or any(w in q.lower() for w in ("number", "figure"))
        wants_person = wants_name(q) or " who " in q.lower()
        relevance = cos + 0.5 * lex  # topic-agnostic: meaning (embeddings) plus the question's own words
        score = cos + 0.6 * lex - 0.01 * np.array([ev.rank for ev in pool])
        if wants_number:
            score += np.array([0.12 if figures_in(ev.text) else 0.0 for ev in pool])
        if wants_person:
            attach_speakers(pool)
            score += np.array([0.08 if ev.speaker else 0.0 for ev in pool])
        top = np.argsort(-score, kind="stable")[:TOP]
        ok, ans.details["answerable"] = judge_question(q, [pool[i].text for i in top], cos[top].tolist(),
                                                       lex[top].tolist(), [d.text for d in docs.values()])
        if ok is None:  # no gate file: the relevance bar
            ok = float(relevance.max()) >= ASK_RELEVANT_MIN
        if not ok:
            return self._not_covered(ans, [heading(q.strip())], pool, q, "this question",
                                     near_label="they do not answer it")
        order = np.argsort(-score)
        best = [pool[i] for i in order[:3] if score[i] >= score[order[0]] - 0.15]
        attach_speakers(best)
        blocks: list[Block] = [note("", lead="From the sources:")]
        points = []
        for ev in best:
            q_ = ev.quote()
            blocks.append(QuoteLine(quote=q_))
            points.append(Point(claim=condense(ev.text), quotes=[q_], holder=ev.speaker))
        weak = ans.details["answerable"].get("weak")
        if weak or (weak is None and float(relevance.max()) < ASK_WEAK):
            ans.notices.append("Weak match: the sources may not answer this question directly.")
            blocks.insert(0, note("The sources may not answer this directly; the closest passages are:", emphasis=True))
        ans.points = points
        return finish(ans, blocks, extractive=True)

    def _nearest(self, pool: list[Evidence], query: str, n: int = 3) -> list[Evidence]:
        if not pool:
            return []
        cos = cosine_to(self.embedder, query, pool)
        near = [pool[i] for i in np.argsort(-cos)[:n]]
        attach_speakers(near)
        return near

    def _not_covered(self, ans: Answer, title: list[Block], pool: list[Evidence], query: str,
                     what: str, near_label: str = "not evidence for either side") -> Answer:
        """The sources do not address the motion or argument: say so, and show the nearest passages as such."""
        ans.verdict = "not_in_sources"
        ans.notices.append(f"The sources do not cover {what}.")
        body = title + [note(f"nothing in the indexed documents addresses {what}.", lead="Not in the sources:")]
        body += context_block(f"Nearest passages ({near_label})", [e.quote() for e in self._nearest(pool, query)])
        return finish(ans, body, extractive=True)

    def _covered(self, pool: list[Evidence], query: str) -> bool:
        """Whether any sentence bears on `query`: the judge finds it relevant (1 - P(neither)) and it
        is close in meaning or words (the judge alone over-reads relevance in unrelated news text)."""
        if not pool:
            return False
        return any(ev.relevance >= RELEVANT_MIN and ev.extra["cos"] + 0.5 * ev.extra["lex"] >= ASK_RELEVANT_MIN
                   for ev in pool)

    @staticmethod
    def _cos(pool: list[Evidence]) -> np.ndarray:
        """Each pooled sentence's cosine to the pool's query (computed once, in `_ranked_pool`)."""
        return np.array([ev.extra["cos"] for ev in pool], dtype=np.float32)

    def _ranked_pool(self, passages, docs, query: str) -> list[Evidence]:
        """Every retrieved sentence, the closest to `query` by meaning and words first (the sentence
        vectors come from the index, so this costs no model time)."""
        pool = sentence_pool(passages, docs)
        for i, (ev, c) in enumerate(zip(pool, cosine_to(self.embedder, query, pool))):
            ev.extra["cos"], ev.extra["lex"], ev.extra["pos"] = float(c), lexical_overlap(query, ev.text), i
        score = np.array([ev.extra["cos"] + 0.3 * ev.extra["lex"] for ev in pool], dtype=np.float32)
        return [pool[i] for i in np.argsort(-score, kind="stable").tolist()]

    def _judged_pool(self, passages, docs, query: str, limit: int = POOL_MAX) -> list[Evidence]:
        """The retrieved sentences the judge reads: the `limit` closest to `query`, in retrieval order."""
        return self._top(self._ranked_pool(passages, docs, query), limit)

    @staticmethod
    def _top(ranked: list[Evidence], limit: int) -> list[Evidence]:
        return sorted(ranked[:limit], key=lambda e: e.extra["pos"])

    def _argue(self, req: Request, passages, docs) -> Answer:
        motion = (req.motion or req.text).strip()
        side = req.side or "for"
        sign = 1.0 if side == "for" else -1.0
        pool = self._judged_pool(passages, docs, motion, STANCE_POOL_MAX)
        score_stance(self.judge, pool, motion)
        ans = Answer(mode=Mode.argue, backend="offline")
        title: list[Block] = [heading(f"Case {'FOR' if side == 'for' else 'AGAINST'}: {motion}")]
        if not self._covered(pool, motion):
            return self._not_covered(ans, title, pool, motion, "this motion")
        rel = self._cos(pool)
        groups, n_sure = pick_side(self.embedder, pool, sign, rel)
        for g in groups:
            attach_speakers(g)
        # Fewer than three points: the relevant sentences the judge could not place are shown after
        # them, labelled as context (precision first: never as evidence for the side).
        used = {ev.key for g in groups for ev in g}
        context = [e.quote() for e in undecided(pool, sign, used)] if len(groups) < 3 else []
        context_label = ("Also about the motion, but the judge cannot tell which side they serve (context, not "
                         "evidence for this side: read them before using them)")
        word = "for" if side == "for" else "against"
        if not groups:
            body = title + [note(f"The sources offer no evidence {word} this motion that the judge can place on "
                                 "this side.")]
            ans.notices.append("No supporting evidence found for this side.")
            body += context_block(context_label, context)
            return finish(ans, body, extractive=True)
        ans.points = [make_point(g, side, leaning=i >= n_sure) for i, g in enumerate(groups)]
        body = title + ([Points(points=ans.points[:n_sure])] if n_sure else [])
        if n_sure < len(groups):
            body += [note(LEANING_LABEL.format(side=word), emphasis=True),
                     Points(points=ans.points[n_sure:], start=n_sure + 1)]
            lean = len(groups) - n_sure
            ans.notices.append(f"{lean} of the {len(groups)} points {'is one' if lean == 1 else 'are ones'} the "
                               "judge only leans towards: check before using.")
        if len(groups) < 3:
            ans.notices.append(f"The sources offer only {len(groups)} distinct argument(s) for this side.")
            body.append(note(f"The sources offer only {len(groups)} distinct argument(s) for this side.", emphasis=True))
            body += context_block(context_label, context)
        return finish(ans, body, extractive=True)

    def _rebut(self, req: Request, passages, docs) -> Answer:
        """Evidence against the argument itself: what the judge reads as opposing or contradicting it
        (or one of its parts: premise, conclusion), never evidence that agrees with it."""
        argument = req.text.strip()
        pool = self._judged_pool(passages, docs, argument)
        ans = Answer(mode=Mode.rebut, backend="offline")
        motion = (req.motion or "").strip()
        parts = argument_parts(argument)
        best_part: dict[tuple[str, int], str] = {}
        if pool:
            scored: list[tuple[str, list[tuple[float, float, float, float]]]] = []
            for label, text in parts:
                score_attack(self.judge, pool, text)
                scored.append((label, [(ev.p_pro, ev.p_con, ev.stance, ev.relevance) for ev in pool]))
            for i, ev in enumerate(pool):  # the part each sentence attacks hardest
                label, vals = max(scored, key=lambda lv: lv[1][i][1])
                ev.p_pro, ev.p_con, ev.stance, ev.relevance = vals[i]
                best_part[ev.key] = label
        opponent: str | None = req.side if req.side in ("for", "against") else None
        if motion:
            ans.details["motion"] = motion
            if opponent is None:
                opponent = argument_side(self.judge, argument, motion)
        if opponent:
            ans.details["opponent_side"] = opponent
        if motion and opponent and pool:
            for ev in answers_side(self.judge, pool, motion, -1.0 if opponent == "for" else 1.0):
                if not serves(ev, -1.0, attack=True):
                    best_part[ev.key] = "claim"  # chosen as the other side's evidence, not as an attack on a part
        title: list[Block] = [heading(f"Rebuttal of: “{argument}”")]
        if motion and opponent:
            title.append(note(f"Read as an argument {opponent.upper()} “{motion}”; the evidence below is the other "
                              f"side's and what answers the argument itself"
                              f"{'' if req.side else ' (give the side explicitly if that reading is wrong)'}.",
                              emphasis=True))
        elif motion:
            title.append(note(f"The judge cannot tell which side of “{motion}” this argument takes, so the evidence "
                              "below only answers the argument itself; give the opponent's side to add the other "
                              "side's evidence.", emphasis=True))
        if not self._covered(pool, argument):
            return self._not_covered(ans, title, pool, argument, "this argument",
                                     near_label="they neither support nor answer it")
        rel = self._cos(pool)
        groups = pick_arguments(self.embedder, pool, -1.0, rel, limit=4, focused=True, qualifies=rebuts)
        if not groups:
            ans.notices.append(NOTHING_AGAINST)
            body = title + [note(NOTHING_ANSWERS + ("" if motion else " Give the motion and the side your opponent "
                                                    "argues, and the other side's evidence is added."))]
            body += context_block("Closest passages (not a rebuttal: the judge cannot tell whether they answer "
                                  "or support it)", [e.quote() for e in self._nearest(pool, argument)])
            return finish(ans, body, extractive=True)
        for g in groups:
            attach_speakers(g)
        ans.points = [make_point(g, "against") for g in groups]
        if len(parts) > 1:
            for p, g in zip(ans.points, groups):
                part = best_part.get(g[0].key, "claim")
                p.claim = f"(attacks the {part}) {p.claim}" if part != "claim" else p.claim
        return finish(ans, title + [Points(points=ans.points)], extractive=True)

    @staticmethod
    def _claim_candidates(passages, docs) -> list:
        from debatebot.verify.claims import EvidenceCandidate

        return [EvidenceCandidate(text=ev.text, doc=ev.doc.doc_id, start=ev.sentence.start, end=ev.sentence.end)
                for ev in sentence_pool(passages, docs, min_words=3)]  # headings are no evidence

    def _check(self, req: Request, passages, docs) -> Answer:
        from debatebot.verify.claims import check_claim

        cands = self._claim_candidates(passages, docs)
        return check_answer(req, check_claim(req.text, cands, embedder=self.embedder, docs=docs), docs,
                            backend="offline")

    def _quote(self, req: Request, passages, docs) -> Answer:
        verifier = self.quotes.get() if self.quotes is not None else None
        if verifier is None:
            from debatebot.verify.quotes import QuoteVerifier

            verifier = QuoteVerifier(docs.values())
        return quote_answer(req, verifier.verify(req.text, req.speaker), docs, backend="offline")

    def _summary(self, req: Request, passages, docs) -> Answer:
        topic = (req.topic or req.text or "").strip()
        if not topic:
            titles = [docs[p.doc].title for p in passages if p.doc in docs]
            topic = titles[0] if titles else "the sources"
        ranked = self._ranked_pool(passages, docs, topic)
        pool = self._top(ranked, STANCE_POOL_MAX)
        score_stance(self.judge, pool, topic)
        attach_speakers(pool)
        rel = self._cos(pool)
        used: set = set()
        pro, pro_sure = pick_side(self.embedder, pool, 1.0, rel, limit=4, used=used)
        con, con_sure = pick_side(self.embedder, pool, -1.0, rel, limit=4, used=used)
        n = max(1, min(len(pro), len(con))) if pro and con else max(len(pro), len(con))
        n = min(4, max(n, 3 if min(len(pro), len(con)) >= 3 else n))
        pro, con = pro[:n], con[:n]
        pro_sure, con_sure = min(pro_sure, n), min(con_sure, n)
        ans = Answer(mode=Mode.summary, backend="offline")
        body: list[Block] = [heading(f"Balanced summary: {topic}"),
                             note(f"The question the sides answer: “{topic}”. Sides and positions come from the "
                                  "judge; what it only leans towards is shown apart and marked so.", emphasis=True)]
        ans.points = ([make_point(g, "for", leaning=i >= pro_sure) for i, g in enumerate(pro)]
                      + [make_point(g, "against", leaning=i >= con_sure) for i, g in enumerate(con)])
        body += side_blocks(f"For “{condense(topic, 12)}”", "for", ans.points[: len(pro)], pro_sure)
        body += side_blocks(f"Against “{condense(topic, 12)}”", "against", ans.points[len(pro):], con_sure)
        if len(pro) != len(con):
            ans.notices.append(f"The sources are unbalanced: {len(pro)} point(s) for, {len(con)} against.")
        # stakeholders: who holds which position
        holders = holders_of(pool)
        if holders:
            rows = []
            for who, evs in sorted(holders.items(), key=lambda kv: -max(abs(e.stance) for e in kv[1])):
                pos = position_of(evs)
                best = max(evs, key=lambda e: abs(e.stance))
                q_ = best.quote()
                rows.append(([who, pos, condense(best.text, 14)], q_))
                ans.positions.append(Position(who=who, position=pos, quote=q_))
            body.append(table("Who holds which position", ["Who", "Position", "Evidence"], rows))
        # key figures: from every retrieved sentence (no judgement needed), the closest to the topic
        # first, shown in reading order
        figs = key_figures(ranked)
        figs.sort(key=lambda fe: (fe[1].doc.doc_id, fe[1].sentence.id))
        judged = {id(ev) for ev in pool}
        attach_speakers([ev for _, ev in figs if id(ev) not in judged])  # the pool's have theirs
        if figs:
            quotes = [ev.quote() for _, ev in figs]
            body.append(table("Key figures", ["Figure", "Context"],
                              [([f, around(ev.text, f)], q_) for (f, ev), q_ in zip(figs, quotes)]))
            ans.figures = [Figure(figure=f, quote=q_) for (f, _), q_ in zip(figs, quotes)]
        return finish(ans, body, extractive=True)

    def _practice(self, req: Request, passages, docs) -> Answer:
        """The student argues `req.side` of the motion; the bot takes the other side and rebuts."""
        motion = (req.motion or "").strip()
        student = req.text.strip()
        reb = self._rebut(Request(mode=Mode.rebut, text=student, motion=motion or None, side=req.side), passages, docs)
        reb.mode = Mode.practice
        from debatebot.verify.claims import check_claim

        verdict = check_claim(student, self._claim_candidates(passages, docs), embedder=self.embedder, docs=docs)
        reb.student_claim = StudentClaim(text=student, verdict=verdict.verdict)
        settle_reply(reb, verdict, docs)
        return reb
