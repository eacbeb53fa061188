"""The answer engine: one entry point for every mode, used by the CLI, the Python API and the UI.

It resolves follow-ups from the conversation, retrieves passages, asks the configured backend,
falls back to the offline engine when the LLM fails, and checks every quotation before it is shown."""

from __future__ import annotations

import re
import threading
from collections.abc import Generator
from typing import TYPE_CHECKING

from debatebot.answers.backends import Backend, make_backend
from debatebot.answers.backends.offline import OfflineBackend
from debatebot.answers.compose import rerender
from debatebot.answers.stream import AnswerStream
from debatebot.core.errors import BackendError, DebatebotError, InputError
from debatebot.core.models import Answer, Mode, Passage, Request
from debatebot.corpus.library import Library
from debatebot.corpus.retrieval import clean_query

if TYPE_CHECKING:
    from debatebot.verify.quotes import QuoteVerifier

_OTHER_SIDE = re.compile(r"\b(other|opposing|opposite|counter)\s+(side|case|view)|\bthe other way\b|\bagainst it\b|"
                         r"\b(and|now|what about)\s+(the\s+)?(against|opposition|con)\b", re.I)
_FOR_SIDE = re.compile(r"\b(and|now|what about)\s+(the\s+)?(for|pro|support(ing)?)\b|\bfor it\b", re.I)
_MORE = re.compile(r"^\s*(more|go on|continue|another|any more|more please)\b", re.I)


class Prepared(Request):
    """A request the engine has resolved and validated (`Engine.prepare`): it is answered as it is."""


class QuoteVerifiers:
    """The quote verifier over the library's documents, made again only when the index changes
    (`Library.generation`). Shared by the engine, the offline backend and the draft check."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self._made: tuple[int, QuoteVerifier] | None = None
        self._lock = threading.Lock()

    def get(self) -> QuoteVerifier:
        from debatebot.verify.quotes import QuoteVerifier

        gen = self.library.generation()
        with self._lock:
            if self._made is None or self._made[0] != gen:
                self._made = (gen, QuoteVerifier(self.library.documents().values()))
            return self._made[1]


# the modes whose offline answers the judge decides (with an LLM, the judge checks every answer's claims)
JUDGED_MODES = frozenset({Mode.argue, Mode.rebut, Mode.check, Mode.summary, Mode.practice})


class Engine:
    """Answers requests from `library`: the `primary` backend when there is one (by default the LLM
    the settings configure), else or when it fails the `fallback` (by default the offline evidence
    engine). Quote verification is always the fallback's: it is deterministic string work."""

    def __init__(self, library: Library | None = None, *, primary: Backend | None = None,
                 fallback: OfflineBackend | None = None) -> None:
        self.library = library or Library()
        self.quotes = QuoteVerifiers(self.library)
        self.fallback = fallback or OfflineBackend(self.library.embedder, quotes=self.quotes)
        self.primary = primary if primary is not None else make_backend(self.library.settings)

    def warm_up(self, mode: Mode | None = None) -> threading.Thread:
        """Warm the models an answer in `mode` uses (None: every mode's) on a daemon thread and return
        at once. onnxruntime makes its sessions mostly without the GIL, so a cold command overlaps
        this with opening the index (importing Chroma takes about 1.5 s). A failure here is left for
        the answer itself to report. Join the thread before the process exits."""

        def warm() -> None:
            try:
                self.fallback.warm(judge=mode is None or mode in JUDGED_MODES or self.primary is not None)
            except Exception:  # e.g. a missing model file: the answer raises the clear error
                pass

        t = threading.Thread(target=warm, name="debatebot-warm-up", daemon=True)
        t.start()
        return t

    @property
    def label(self) -> str:
        return (self.primary or self.fallback).label

    # ---- request preparation ---------------------------------------------------------------------
    def resolve(self, req: Request) -> Request:
        """Fill what a follow-up leaves implicit from the conversation (e.g. "and the other side?")."""
        last = next((h for h in reversed(req.history) if h.get("role") == "user" and h.get("mode")), None)
        text = (req.text or "").strip()
        if last is not None and len(text) < 80:
            prev_mode = last.get("mode")
            if prev_mode in ("argue", "practice") and (_OTHER_SIDE.search(text) or _FOR_SIDE.search(text) or _MORE.match(text)):
                side = last.get("side") or "for"
                if _OTHER_SIDE.search(text):
                    side = "against" if side == "for" else "for"
                elif _FOR_SIDE.search(text):
                    side = "for"
                return req.model_copy(update={"mode": Mode.argue, "side": side,
                                              "motion": last.get("motion") or last.get("text"), "text": last.get("motion") or last.get("text") or ""})
            if req.mode == Mode.ask and len(text.split()) <= 6 and last.get("text"):
                # "who said that?" / "why?": search with the previous question as context
                return req.model_copy(update={"topic": last.get("text")})
        return req

    def prepare(self, req: Request, *, resolve: bool = True) -> Prepared:
        """The request (`resolve`: resolved against the conversation, see `resolve`) validated: what the
        engine answers. The web page prepares its requests itself, to show what they became; `stream`
        prepares one that is not prepared yet."""
        return Prepared.model_validate(self.validate(self.resolve(req) if resolve else req).model_dump())

    def limit(self, mode: Mode) -> int:
        """Most characters of a request's text in `mode` (a quotation may be a whole paragraph)."""
        lim = self.library.settings.limits
        return lim.max_quote_chars if mode == Mode.quote else lim.max_query_chars

    def validate(self, req: Request) -> Request:
        s = self.library.settings
        if req.mode in (Mode.ask, Mode.rebut, Mode.check, Mode.quote, Mode.practice):
            clean_query(req.text, s.limits.max_query_chars)  # raises InputError on empty input
        if req.mode == Mode.argue and not ((req.motion or req.text or "").strip()):
            raise InputError("Give a motion to argue, e.g. “This house would ban X”.")
        if req.mode == Mode.argue and req.side not in ("for", "against"):
            req = req.model_copy(update={"side": "for"})
        limit = self.limit(req.mode)
        text = req.text or ""
        if len(text) > limit:
            raise InputError(f"The text is too long ({len(text):,} characters; the limit is {limit:,}).",
                             hint="Shorten it to the sentence or claim you want to work on.")
        for name in ("motion", "topic", "speaker"):  # echoed in answers and searched: bounded like the text
            if len(getattr(req, name) or "") > s.limits.max_query_chars:
                raise InputError(f"The {name} is too long ({len(getattr(req, name)):,} characters; the limit is "
                                 f"{s.limits.max_query_chars:,}).", hint=f"Shorten the {name}.")
        return req

    def query_for(self, req: Request) -> str:
        if req.mode == Mode.argue:
            return req.motion or req.text
        if req.mode in (Mode.rebut, Mode.practice):
            return f"{req.text} {req.motion or ''}".strip()
        if req.mode == Mode.summary:
            return req.topic or req.text or ""
        if req.mode == Mode.ask and req.topic:
            return f"{req.topic} {req.text}"
        return req.text

    def retrieve(self, req: Request) -> list[Passage]:
        q = self.query_for(req)
        k = self.library.settings.retrieval.passages_per_mode[req.mode.value]  # every mode has one (settings fill the defaults)
        if req.mode == Mode.summary and not q.strip():
            recs = [r for r in self.library.docs() if not req.docs or r.doc_id in req.docs]  # the docs searched
            q = " ".join(r.title for r in recs[:3]) or "summary"
        if req.mode == Mode.quote:
            return []
        return self.library.search(q, k=k, docs=req.docs)

    # ---- answering -------------------------------------------------------------------------------
    def _docs_for(self, req: Request):
        docs = self.library.documents()
        if req.docs:
            docs = {k: v for k, v in docs.items() if k in set(req.docs)}
        return docs

    def _load_sentence_vectors(self, passages: list[Passage], docs) -> None:
        """Give the offline engine the sentence vectors stored at index time (it would otherwise
        embed every sentence of the passages at question time: most of an answer's latency)."""
        emb = self.fallback.embedder
        try:
            emb.prime(self.library.sentence_vectors(passages, docs, skip=emb.has))
        except DebatebotError:
            pass  # an index without stored vectors (or a store hiccup): sentences are embedded instead

    def run(self, req: Request) -> Answer:
        return self.stream(req).result()

    def stream(self, req: Request) -> AnswerStream:
        """The answer's markdown fragments as they are produced, then the checked Answer."""
        return AnswerStream(self._fragments(req))

    def _fragments(self, req: Request) -> Generator[str, None, Answer]:
        req = req if isinstance(req, Prepared) else self.prepare(req)
        passages = self.retrieve(req)
        docs = self._docs_for(req)
        notices: list[str] = []
        answer: Answer | None = None
        if self.primary is not None and req.mode != Mode.quote:
            try:
                answer = yield from self.primary.stream(req, passages, docs)
            except BackendError as e:
                notices.append(f"The LLM did not answer ({e}); this answer comes from the offline evidence engine.")
                yield "\n\n> ⚠️ " + notices[-1] + "\n\n"
                answer = None
        if answer is None:
            self._load_sentence_vectors(passages, docs)
            answer = yield from self.fallback.stream(req, passages, docs)
        answer.notices = notices + answer.notices
        check_quotes_exact(answer, docs)
        return answer


def check_quotes_exact(answer: Answer, docs) -> None:
    """Last line of defence: every quote shown is an exact slice of its document, or it goes (and the
    answer's Markdown is rendered again without it)."""
    removed = False
    for p in answer.points:
        kept = []
        for q in p.quotes:
            d = docs.get(q.doc)
            if d is not None and d.text[q.start : q.end] == q.text:
                kept.append(q)
            else:
                answer.notices.append(f"A quotation could not be verified against {q.doc} and was removed.")
                removed = True
        p.quotes = kept
    sources = [q for q in answer.sources if (d := docs.get(q.doc)) is not None and d.text[q.start : q.end] == q.text]
    if removed or len(sources) != len(answer.sources):
        answer.sources = sources
        rerender(answer)  # the points' blocks share the Point objects: the removed quotes are gone from them
