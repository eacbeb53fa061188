"""The offline evidence engine: answers every mode by selecting, grouping, ordering and labelling
verbatim source sentences. Deterministic; no model beyond the embeddings."""

from __future__ import annotations

import re
from collections.abc import Iterator

import numpy as np

from ..embeddings import Embedder
from ..evidence import (
    Evidence, around, condense, cosine_to, embed_sentences, figures_in, is_heading, lexical_overlap, sentence_pool, theme_of,
)
from ..models import Answer, Mode, Passage, Point, Quote, Request
from ..render import Citations, finish, quote_line, render_diff, render_points
from ..text import SourceDocument

MAX_ARGUMENTS = 5
MIN_STANCE = 0.05


class OfflineBackend:
    name = "offline"
    label = "offline evidence engine (extractive)"

    def __init__(self, embedder: Embedder, quote_verifier_factory=None) -> None:
        from ..embeddings import CachedEmbedder

        self.embedder = embedder if isinstance(embedder, CachedEmbedder) else CachedEmbedder(embedder)
        self._stance = None
        self._quote_verifier_factory = quote_verifier_factory

    # ---- shared helpers --------------------------------------------------------------------------
    @property
    def stance(self):
        if self._stance is None:
            from ..stance import StanceScorer

            self._stance = StanceScorer(self.embedder)
        return self._stance

    def _score_stance(self, pool: list[Evidence], motion: str) -> None:
        if not pool:
            return
        results = self.stance.score_many([ev.text for ev in pool], motion)
        for ev, r in zip(pool, results):
            ev.stance = float(r.value)
            ev.relevance = float(r.relevance)

    @staticmethod
    def _camp_smoothing(pool: list[Evidence], weight: float = 0.5) -> None:
        """One speaker's statements in one document usually share a side: blend each sentence's
        stance with the mean stance of its speaker there (needs speakers set)."""
        by: dict[tuple[str, str], list[Evidence]] = {}
        for ev in pool:
            if ev.speaker:
                by.setdefault((ev.doc.doc_id, ev.speaker), []).append(ev)
        for evs in by.values():
            if len(evs) < 2:
                continue
            mean = sum(e.stance for e in evs) / len(evs)
            for e in evs:
                e.stance = (1 - weight) * e.stance + weight * mean

    @staticmethod
    def _speakers(pool: list[Evidence]) -> None:
        from ..verify.speakers import attribute

        for ev in pool:
            try:
                att = attribute(ev.doc, ev.sentence.start, ev.sentence.end)
            except Exception:
                att = None
            ok = (att is not None and getattr(att, "kind", "person") in ("person", "organisation")
                  and att.method != "passage_speaker")  # scare quotes (“non-persistent”) have no speaker
            if ok and att.mention_start is not None:
                # a name found in a heading ("...: Military Necessity vs. ...") is not a speaker
                s = ev.doc.sentence_at(att.mention_start)
                ok = s is None or not is_heading(ev.doc.text[s.start : s.end])
            ev.speaker = att.speaker if ok else None

    def _pick_arguments(self, pool: list[Evidence], sign: float, relevance_to: np.ndarray | None,
                        limit: int = MAX_ARGUMENTS, used: set | None = None,
                        focused: bool = False) -> list[list[Evidence]]:
        """Greedy: strongest aligned sentence first; each argument gets one supporting neighbour;
        no two arguments share evidence or repeat each other."""
        used = set() if used is None else used
        strength = {}
        for i, ev in enumerate(pool):
            aligned = sign * ev.stance
            if aligned <= MIN_STANCE:
                continue
            rel = float(relevance_to[i]) if relevance_to is not None else ev.relevance
            if focused:  # a rebuttal must answer the argument: relevance first, stance second
                strength[ev.key] = (0.2 + min(aligned, 1.0)) * max(0.0, rel) ** 2 - 0.001 * ev.rank
            else:
                strength[ev.key] = aligned * (0.6 + max(0.0, rel)) - 0.01 * ev.rank
        order = sorted((ev for ev in pool if ev.key in strength), key=lambda e: -strength[e.key])
        order += [ev for ev in pool if ev.key not in strength and sign * ev.stance > 0]  # neighbours only
        embed_sentences(self.embedder, order)
        groups: list[list[Evidence]] = []
        heads: list[Evidence] = []
        for ev in order:
            if len(groups) >= limit:
                break
            if ev.key in used or ev.key not in strength:
                continue
            if any(float(ev.vec @ h.vec) > 0.8 for h in heads):
                continue
            group = [ev]
            used.add(ev.key)
            # a supporting neighbour: the next/previous sentence of the same paragraph, same side
            for other in order:
                if other.key in used or other.doc.doc_id != ev.doc.doc_id:
                    continue
                if (other.sentence.paragraph == ev.sentence.paragraph and abs(other.sentence.id - ev.sentence.id) == 1
                        and sign * other.stance > 0):
                    group.append(other)
                    used.add(other.key)
                    break
            group.sort(key=lambda e: e.sentence.id)
            groups.append(group)
            heads.append(ev)
        return groups

    @staticmethod
    def _point(group: list[Evidence], side: str | None) -> Point:
        head = max(group, key=lambda e: abs(e.stance))
        theme = theme_of(" ".join(e.text for e in group))
        claim = f"“{condense(head.text)}”"  # the source's own words, shown as a quotation
        if theme:
            claim = f"{theme}: {claim}"
        return Point(claim=claim, side=side, quotes=[e.quote() for e in group], holder=head.speaker)

    def warm(self) -> None:
        """Build what the first question would otherwise wait for (the stance prototypes). The
        sources' sentence vectors need no warming: they are read from the index per question."""
        self.stance.score_many(["A warm-up sentence."], "This house would warm up")

    # ---- modes -----------------------------------------------------------------------------------
    def answer(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> Answer:
        handler = {
            Mode.ask: self._ask, Mode.argue: self._argue, Mode.rebut: self._rebut, Mode.check: self._check,
            Mode.quote: self._quote, Mode.summary: self._summary, Mode.practice: self._practice,
        }[request.mode]
        return handler(request, passages, docs)

    def stream(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> Iterator[str]:
        ans = self.answer(request, passages, docs)
        for line in ans.answer.splitlines(keepends=True):
            yield line
        return ans

    def _ask(self, req: Request, passages, docs) -> Answer:
        pool = sentence_pool(passages, docs)
        ans = Answer(mode=Mode.ask, backend="offline", answer="")
        cites = Citations()
        if not pool:
            return finish(ans, ["The sources do not contain anything that answers this question."], cites, extractive=True)
        q = req.text
        cos = cosine_to(self.embedder, q, pool)
        lex = np.array([lexical_overlap(q, ev.text) for ev in pool], dtype=np.float32)
        wants_number = any(w in q.lower() for w in ("how many", "how much", "number", "what percentage", "how long",
                                                   "how far", "how deep", "figure", "when"))
        wants_person = q.lower().startswith(("who ", "who's", "whom")) or " who " in q.lower()
        score = cos + 0.6 * lex - 0.01 * np.array([ev.rank for ev in pool])
        if wants_number:
            score += np.array([0.12 if figures_in(ev.text) else 0.0 for ev in pool])
        if wants_person:
            self._speakers(pool)
            score += np.array([0.08 if ev.speaker else 0.0 for ev in pool])
        order = np.argsort(-score)
        best = [pool[i] for i in order[:3] if score[i] >= score[order[0]] - 0.15]
        self._speakers(best)
        lines = ["**From the sources:**", ""]
        points = []
        for ev in best:
            q_ = ev.quote()
            lines.append(quote_line(q_, cites))
            lines.append("")
            points.append(Point(claim=condense(ev.text), quotes=[q_], holder=ev.speaker))
        if float(score[order[0]]) < 0.3:
            ans.notices.append("Weak match: the sources may not answer this question directly.")
            lines.insert(0, "_The sources may not answer this directly; the closest passages are:_\n")
        ans.points = points
        return finish(ans, lines, cites, extractive=True)

    def _argue(self, req: Request, passages, docs) -> Answer:
        motion = (req.motion or req.text).strip()
        side = req.side or "for"
        sign = 1.0 if side == "for" else -1.0
        pool = sentence_pool(passages, docs)
        self._score_stance(pool, motion)
        self._speakers(pool)
        self._camp_smoothing(pool)
        rel = cosine_to(self.embedder, motion, pool)
        groups = self._pick_arguments(pool, sign, rel)
        ans = Answer(mode=Mode.argue, backend="offline", answer="")
        cites = Citations()
        title = f"### Case {'FOR' if side == 'for' else 'AGAINST'}: {motion}"
        if not groups:
            body = [title, "", f"The sources offer no evidence {'for' if side == 'for' else 'against'} this motion."]
            ans.notices.append("No supporting evidence found for this side.")
            return finish(ans, body, cites, extractive=True)
        ans.points = [self._point(g, side) for g in groups]
        body = [title, ""] + render_points(ans.points, cites)
        if len(groups) < 3:
            ans.notices.append(f"The sources offer only {len(groups)} distinct argument(s) for this side.")
            body.append(f"_The sources offer only {len(groups)} distinct argument(s) for this side._")
        return finish(ans, body, cites, extractive=True)

    _SUBJECT = re.compile(r"^(?:the |a |an )?((?:[\w\-']+ ){0,4}?[\w\-']+?)\s+(?:is|are|was|were|make|makes|made|"
                          r"will|would|can|could|should|must|do|does|did|have|has|save|saves|slow|slows|cause|"
                          r"causes|kill|kills|protect|protects|help|helps|remain|remains|stay|stays|cost|costs)\b", re.I)

    def _pseudo_motion(self, argument: str) -> str:
        """Without a motion, debate the argument's subject: "Mines are obsolete ..." -> "Mines should be used"."""
        m = self._SUBJECT.match(argument.strip())
        subject = m.group(1) if m else argument.strip()
        return f"{subject} should be used"

    def _rebut(self, req: Request, passages, docs) -> Answer:
        argument = req.text.strip()
        pool = sentence_pool(passages, docs)
        ans = Answer(mode=Mode.rebut, backend="offline", answer="")
        cites = Citations()
        motion = (req.motion or "").strip() or self._pseudo_motion(argument)
        self._score_stance(pool, motion)
        self._speakers(pool)
        self._camp_smoothing(pool)
        if req.side in ("for", "against"):  # the side the opponent argues, when the user says it
            opponent = req.side
        else:
            opponent = "for" if self.stance.score_many([argument], motion)[0].value >= 0 else "against"
        side = "against" if opponent == "for" else "for"
        sign = 1.0 if side == "for" else -1.0
        ans.details["opponent_side"] = opponent
        ans.details["motion"] = motion
        rel = cosine_to(self.embedder, argument, pool)
        # relevance feedback: the source sentence closest to the argument explains its terms
        # ("non-persistent mines ... deactivate"), so counter-evidence using those words counts as on point
        expanded = argument + " " + pool[int(np.argmax(rel))].text if len(pool) else argument
        rel = rel + 0.5 * np.array([lexical_overlap(expanded, ev.text) for ev in pool], dtype=np.float32)
        groups = self._pick_arguments(pool, sign, rel, limit=4, focused=True)
        title = f"### Rebuttal of: “{argument}”"
        reading = (f"_Read as an argument {opponent.upper()} “{motion}”, so the evidence below argues "
                   f"{side.upper()}{'' if req.side else ' (give the side explicitly if that reading is wrong)'}._")
        title = title + "\n\n" + reading
        if not groups:
            ans.notices.append("The sources offer nothing against this argument.")
            return finish(ans, [title, "", "The sources offer nothing that answers this argument."], cites, extractive=True)
        ans.points = [self._point(g, side) for g in groups]
        return finish(ans, [title, ""] + render_points(ans.points, cites), cites, extractive=True)

    def _check(self, req: Request, passages, docs) -> Answer:
        from ..verify.claims import EvidenceCandidate, check_claim

        pool = sentence_pool(passages, docs, skip_headings=False, min_words=3)
        cands = [EvidenceCandidate(text=ev.text, doc=ev.doc.doc_id, start=ev.sentence.start, end=ev.sentence.end)
                 for ev in pool]
        result = check_claim(req.text, cands, embedder=self.embedder)
        data = result.to_json() if hasattr(result, "to_json") else result.model_dump()
        return render_check(req, data, docs, backend="offline")

    def _quote(self, req: Request, passages, docs) -> Answer:
        verifier = self._quote_verifier_factory() if self._quote_verifier_factory else None
        if verifier is None:
            from ..verify.quotes import QuoteVerifier

            verifier = QuoteVerifier(docs.values())
        result = verifier.verify(req.text, req.speaker)
        data = result.model_dump(mode="json") if hasattr(result, "model_dump") else dict(result)
        return render_quote(req, data, docs, backend="offline")

    def _summary(self, req: Request, passages, docs) -> Answer:
        topic = (req.topic or req.text or "").strip()
        if not topic:
            titles = [docs[p.doc].title for p in passages if p.doc in docs]
            topic = titles[0] if titles else "the sources"
        pool = sentence_pool(passages, docs)
        self._score_stance(pool, topic)
        self._speakers(pool)
        self._camp_smoothing(pool)
        rel = cosine_to(self.embedder, topic, pool)
        used: set = set()
        pro = self._pick_arguments(pool, 1.0, rel, limit=4, used=used)
        con = self._pick_arguments(pool, -1.0, rel, limit=4, used=used)
        n = max(1, min(len(pro), len(con))) if pro and con else max(len(pro), len(con))
        n = min(4, max(n, 3 if min(len(pro), len(con)) >= 3 else n))
        pro, con = pro[:n], con[:n]
        ans = Answer(mode=Mode.summary, backend="offline", answer="")
        cites = Citations()
        body = [f"### Balanced summary: {topic}", ""]
        ans.points = [self._point(g, "for") for g in pro] + [self._point(g, "against") for g in con]
        body += ["#### For", ""] + (render_points(ans.points[: len(pro)], cites) or ["_No evidence on this side._", ""])
        body += ["#### Against", ""] + (render_points(ans.points[len(pro):], cites) or ["_No evidence on this side._", ""])
        if len(pro) != len(con):
            ans.notices.append(f"The sources are unbalanced: {len(pro)} point(s) for, {len(con)} against.")
        # stakeholders: who holds which position
        holders: dict[str, list[Evidence]] = {}
        for ev in pool:
            if ev.speaker:
                holders.setdefault(ev.speaker, []).append(ev)
        if holders:
            body += ["#### Who holds which position", "", "| Who | Position | Evidence |", "|---|---|---|"]
            for who, evs in sorted(holders.items(), key=lambda kv: -max(abs(e.stance) for e in kv[1])):
                avg = sum(e.stance for e in evs) / len(evs)
                pos = "for" if avg > MIN_STANCE else "against" if avg < -MIN_STANCE else "neutral / factual"
                best = max(evs, key=lambda e: abs(e.stance))
                n_ = cites.mark(best.quote())
                body.append(f"| {who} | {pos} | {condense(best.text, 14)} [{n_}] |")
            body.append("")
        # key figures
        figs: list[tuple[str, Evidence]] = []
        for ev in sorted(pool, key=lambda e: (e.doc.doc_id, e.sentence.id)):
            for f in figures_in(ev.text):
                if f not in {x for x, _ in figs}:
                    figs.append((f, ev))
        if figs:
            body += ["#### Key figures", "", "| Figure | Context |", "|---|---|"]
            for f, ev in figs[:12]:
                n_ = cites.mark(ev.quote())
                body.append(f"| {f} | {around(ev.text, f)} [{n_}] |")
            body.append("")
            ans.details["figures"] = [{"figure": f, "quote": ev.quote().model_dump()} for f, ev in figs[:12]]
        return finish(ans, body, cites, extractive=True)

    def _practice(self, req: Request, passages, docs) -> Answer:
        """The student argues `req.side` of the motion; the bot takes the other side and rebuts."""
        motion = (req.motion or "").strip()
        student = req.text.strip()
        reb = self._rebut(Request(mode=Mode.rebut, text=student, motion=motion or None, side=req.side), passages, docs)
        reb.mode = Mode.practice
        from ..verify.claims import EvidenceCandidate, check_claim

        pool = sentence_pool(passages, docs, skip_headings=False, min_words=3)
        cands = [EvidenceCandidate(text=ev.text, doc=ev.doc.doc_id, start=ev.sentence.start, end=ev.sentence.end)
                 for ev in pool]
        verdict = check_claim(student, cands, embedder=self.embedder)
        data = verdict.to_json() if hasattr(verdict, "to_json") else verdict.model_dump()
        reb.details["student_claim"] = {"text": student, "verdict": data.get("verdict")}
        support = {"supported": "has support in the sources", "partly_supported": "is partly supported by the sources",
                   "contradicted": "is contradicted by the sources", "not_in_sources": "has no support in the sources"}
        reb.answer = reb.answer.replace("### Rebuttal of:", "### My reply to:", 1)
        reb.answer += f"\n_Your argument {support.get(data.get('verdict'), 'could not be checked')}._\n"
        return reb


# ---- rendering of verification results (shared with the LLM path) ---------------------------------
VERDICT_LABELS = {
    "supported": "✅ Supported", "contradicted": "❌ Contradicted", "partly_supported": "◐ Partly supported",
    "not_in_sources": "∅ Not in the sources", "exact": "✅ Exact quotation", "altered": "✏️ Altered quotation",
    "spliced": "✂️ Spliced quotation", "truncated": "⚠️ Truncated quotation (meaning changed)",
    "not_found": "∅ Quotation not found",
}


def _q(d: dict, docs: dict[str, SourceDocument]) -> Quote:
    doc = docs.get(d["doc"])
    para = doc.paragraph_at(d["start"]) if doc else 0
    return Quote(text=d["text"], doc=d["doc"], start=d["start"], end=d["end"], paragraph=para,
                 title=doc.title if doc else "")


def render_check(req: Request, data: dict, docs, backend: str) -> Answer:
    ans = Answer(mode=Mode.check, backend=backend, answer="", verdict=data.get("verdict"), details=data)
    cites = Citations()
    body = [f"### Claim: “{req.text.strip()}”", "", f"**Verdict: {VERDICT_LABELS.get(data.get('verdict'), data.get('verdict'))}**", ""]
    for c in data.get("claims", []):
        quotes = [_q(e, docs) for e in c.get("evidence", [])]
        p = Point(claim=c.get("text", ""), quotes=quotes, verdict=c.get("verdict"))
        ans.points.append(p)
        if len(data.get("claims", [])) > 1:
            body.append(f"- _{c.get('text')}_ — **{VERDICT_LABELS.get(c.get('verdict'), c.get('verdict'))}**")
        if c.get("reason"):
            body.append(f"  {c['reason']}")
        for q in quotes:
            body.append("  " + quote_line(q, cites))
        body.append("")
    return finish(ans, body, cites, extractive=backend == "offline")


def render_quote(req: Request, data: dict, docs, backend: str) -> Answer:
    verdict = data.get("verdict")
    ans = Answer(mode=Mode.quote, backend=backend, answer="", verdict=verdict, details=data)
    cites = Citations()
    body = [f"### Quotation: “{req.text.strip()}”", "", f"**Verdict: {VERDICT_LABELS.get(verdict, verdict)}**", ""]
    if data.get("explanation"):
        body += [data["explanation"], ""]
    m = data.get("match")
    if m:
        q = _q(m, docs)
        sp = data.get("speaker") or {}
        q.speaker = sp.get("actual")
        body += ["Source:", quote_line(q, cites), ""]
        ans.points.append(Point(claim="Closest source text", quotes=[q]))
    diff = data.get("diff") or []
    if diff and verdict != "exact":
        line = render_diff(diff, lambda t: f"~~{t}~~", lambda t: f"**{t}**")
        body += ["Word-level difference (~~source~~ **quoted**):", "", "> " + line, ""]
    sp = data.get("speaker") or {}
    if sp and sp.get("verdict") and sp.get("verdict") != "not_checked":
        label = {"correct": "✅ correctly attributed", "misattributed": "❌ misattributed",
                 "unattributed": "∅ the source does not say who said it"}.get(sp["verdict"], sp["verdict"])
        who = f" — the source attributes it to **{sp['actual']}**" if sp.get("actual") else ""
        body += [f"**Speaker:** {sp.get('claimed') or '—'}: {label}{who}", ""]
    elif sp.get("actual"):
        body += [f"**Speaker in the source:** {sp['actual']}", ""]
    for near in (data.get("nearest") or [])[:3]:
        if isinstance(near, dict) and near.get("doc") is not None and "start" in near:
            body.append("Nearest passage: " + quote_line(_q(near, docs), cites))
    return finish(ans, body, cites, extractive=backend == "offline")
