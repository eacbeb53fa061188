"""The LLM backend: any OpenAI-compatible chat-completions server.

Flow: packaged prompts -> passages fitted into the context budget and delimited as untrusted data
(`prompting`) -> one streamed call asking for JSON (`transport`: response_format json_schema; when the
server rejects that, JSON mode with the schema; when it rejects that too, the same call without either,
parsing the first JSON object of the text: `reply`) ->
points and quotes mapped to passages -> citation guard -> markdown with numbered markers [n]
(`markers`) and a sources list. Every failure becomes a BackendError (the engine then falls back to
the offline engine). The whole call, retries included, ends within `llm_timeout` (+ a small slack)."""

from __future__ import annotations

import time
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from debatebot.answers.backends.llm.markers import ProseStreamer, convert_markers
from debatebot.answers.backends.llm.prompting import Prepared, prepare
from debatebot.answers.backends.llm.reply import AnswerFieldScanner, LLMReply, extract_json
from debatebot.answers.backends.llm.transport import HINT, ChatTransport, chunk_text
from debatebot.answers.compose import Citations, finish
from debatebot.answers.guard import (
    check_claims,
    check_holders,
    flag_unverified_headlines,
    flag_unverified_quotes,
    guard_quotes,
)
from debatebot.answers.markdown import to_markdown
from debatebot.answers.stream import AnswerStream
from debatebot.core.errors import BackendError
from debatebot.core.models import Answer, Block, Mode, Note, Passage, Point, Points, Prose, Quote, Request
from debatebot.core.settings import Settings, get_settings
from debatebot.core.text import SourceDocument, clip

OUTPUT_CAP = 1.5  # abort a reply longer than this x llm_max_tokens (a server ignoring the limit)


@dataclass
class _Outcome:
    text: list[str] = field(default_factory=list)
    finish_reason: str | None = None
    refusal: str | None = None
    structured: bool = True
    response_format: str = "json_schema"  # or "json_object" / "text", once the server rejected the one before
    tokens: int = 0


class LLMBackend:
    """The Backend protocol over an OpenAI-compatible server."""

    name = "llm"

    def __init__(self, settings: Settings | None = None, *, chat_model: Any | None = None) -> None:
        self.settings = settings or get_settings()
        self.transport = ChatTransport(self.settings, chat_model)
        self.model_name = self.transport.model_name
        self.label = f"LLM: {self.model_name}"
        from debatebot.corpus.chunking import get_encoding

        self._enc = get_encoding(self.settings.index.encoding)  # loaded now, not inside the first call's deadline

    @property
    def warmed(self):
        return self.transport.warmed

    def redact(self, text: str) -> str:
        return self.transport.redact(text)

    def prepare(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> Prepared:
        """Messages for the request, with as many passages as the context budget allows."""
        return prepare(self.settings, self._enc, request, passages, docs)

    # ---- public ----------------------------------------------------------------------------------
    def answer(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> Answer:
        return self.stream(request, passages, docs).result()

    def stream(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> AnswerStream:
        return AnswerStream(self._fragments(request, passages, docs))

    def _fragments(self, request: Request, passages: list[Passage],
                   docs: dict[str, SourceDocument]) -> Generator[str, None, Answer]:
        """Yields markdown fragments of the answer prose as they arrive, then the evidence and sources;
        returns the guarded Answer. Raises BackendError on any failure."""
        deadline = time.monotonic() + self.settings.llm.timeout
        prep = self.prepare(request, passages, docs)
        t = self.transport
        fmt = "json_schema" if t.schema_ok else "json_object" if t.json_mode_ok else "text"
        out = _Outcome(structured=t.schema_ok, response_format=fmt)
        scanner = AnswerFieldScanner()
        prose = ProseStreamer(prep.labels, docs, self.transport.secrets())
        cap = int(self.settings.llm.max_tokens * OUTPUT_CAP) + 32
        enc = self._enc
        for kind, value in self.transport.events(prep.messages, deadline):
            if kind == "schema_rejected":
                out.structured, out.response_format = False, value
                continue
            if kind == "finish":
                out.finish_reason = value
                continue
            text = chunk_text(value)
            meta = getattr(value, "response_metadata", None) or {}
            extra = getattr(value, "additional_kwargs", None) or {}
            out.finish_reason = meta.get("finish_reason") or out.finish_reason
            out.refusal = extra.get("refusal") or out.refusal
            if not text:
                continue
            out.text.append(text)
            out.tokens += len(enc.encode_ordinary(text))
            if out.tokens > cap:
                raise BackendError(f"The LLM's reply ran past the token limit ({self.settings.llm.max_tokens} "
                                   "tokens); it was abandoned.", hint=HINT)
            frag = prose.feed(scanner.feed(text))
            if frag:
                yield frag
        tail_frag = prose.feed("", final=True)
        if tail_frag:
            yield tail_frag
        answer, tail = self.build(request, prep, docs, out)
        if tail:
            yield tail
        return answer

    # ---- the answer --------------------------------------------------------------------------------
    def build(self, request: Request, prep: Prepared, docs: dict[str, SourceDocument],
              out: _Outcome) -> tuple[Answer, str]:
        """The guarded Answer from the model's text, and the markdown that follows the prose."""
        text = "".join(out.text)
        if out.refusal:
            raise BackendError(f"The LLM declined to answer: “{clip(out.refusal, 160)}”", hint=HINT)
        if out.finish_reason == "content_filter":
            raise BackendError("The LLM server filtered the answer (content filter).", hint=HINT)
        if not text.strip():
            raise BackendError("The LLM returned an empty answer.", hint=HINT)
        notices: list[str] = []
        data = None
        if out.finish_reason == "length":  # cut mid-object: close what is open and keep what arrived
            from langchain_core.utils.json import parse_partial_json

            start = text.find("{")
            data = parse_partial_json(text[start:]) if start != -1 else None
        if not isinstance(data, dict):
            data = extract_json(text)
        if not isinstance(data, dict):
            raise BackendError("The LLM's reply was not the JSON answer it was asked for "
                               f"(it began: “{clip(text, 80)}”).", hint=HINT)
        if out.finish_reason == "length":
            notices.append(f"The LLM's answer was cut at its token limit ({self.settings.llm.max_tokens} tokens); "
                           "what arrived is shown.")
        try:
            reply = LLMReply.model_validate(data)
        except ValidationError as e:
            raise BackendError(f"The LLM's JSON answer has the wrong shape ({e.error_count()} problem(s)).",
                               hint=HINT) from e
        if not reply.answer.strip() and not reply.points:
            raise BackendError("The LLM returned an empty answer.", hint=HINT)
        if request.mode == Mode.check and reply.verdict is None:  # a claim check is its verdict
            raise BackendError("The LLM's claim check gave no verdict.", hint=HINT)

        # points and quotes -> passages -> guard
        points: list[Point] = []
        for rp in reply.points:
            quotes = []
            for rq in rp.quotes:
                if not rq.text.strip():
                    continue
                p = prep.labels.get(rq.passage)
                quotes.append(Quote(text=rq.text, doc=p.doc if p else "", start=0, end=0,
                                    passage_id=rq.passage or "(none)"))
            if rp.claim.strip() or quotes:
                points.append(Point(claim=rp.claim.strip() or "(no claim given)", side=rp.side,
                                    holder=(rp.holder or "").strip() or None, quotes=quotes))
        used = list(prep.labels.values())
        guarded = guard_quotes(points, used, docs, refs=prep.labels)
        notices += guarded.notices
        held, holder_notices = check_holders(guarded.points, used, docs)
        held, headline_notices = flag_unverified_headlines(held, used, docs)
        notices += holder_notices + headline_notices
        judged, claim_notices = check_claims(held, used, docs, settings=self.settings.judge)
        notices += claim_notices
        evidenced = [p for p in judged if p.verdict != "unsupported"]
        guarded.points = evidenced

        # prose: markers, then any quoted text that is not in the sources is flagged
        cites = Citations()
        unknown: set[str] = set()
        prose = convert_markers(reply.answer.strip(), prep.labels, docs, cites, unknown)
        if unknown:
            notices.append("Removed citation marker(s) to passage(s) that were not retrieved: "
                           + ", ".join(sorted(unknown)) + ".")
        prose, flagged = flag_unverified_quotes(prose, used, docs)
        notices += flagged

        verdict = reply.verdict if request.mode == Mode.check else None
        if verdict is not None and not any(p.quotes for p in guarded.points):
            notices.append("The LLM's verdict has no verified quotation behind it; check it against the sources.")
        if prep.left_out:
            notices.append(f"{prep.left_out} retrieved passage(s) did not fit the model's context window and were "
                           "left out.")
        # an LLM server may echo the API key in a normal answer: it never reaches the reader
        notices = [self.redact(n) for n in notices]
        guarded.points = [p.model_copy(update={"claim": self.redact(p.claim),
                                               "holder": self.redact(p.holder) if p.holder else p.holder})
                          for p in guarded.points]
        evidence: list[Block] = [Note(text="", lead="Evidence"), Points(points=guarded.points)] if guarded.points else []
        answer = Answer(
            mode=request.mode, backend="llm", points=guarded.points, notices=notices, verdict=verdict,
            details={"model": self.model_name, "passages_sent": len(prep.labels), "passages_left_out": prep.left_out,
                     "prompt_tokens": prep.prompt_tokens, "completion_tokens": out.tokens,
                     "structured_output": out.structured, "response_format": out.response_format,
                     "finish_reason": out.finish_reason,
                     "guard": guarded.summary,
                     # what the guard flagged or removed besides the points' quotations
                     "guard_flags": {"prose_quotes_flagged": len(flagged), "headline_quotes_flagged": len(headline_notices),
                                     "markers_removed": len(unknown), "points_removed": len(points) - len(evidenced),
                                     "holders_dropped": len(holder_notices)}},
        )
        finish(answer, [Prose(markdown=self.redact(prose))] + evidence, cites, extractive=False)
        # what follows the streamed prose: the verdict and the evidence (the sources list is the answer's)
        tail = Answer(mode=request.mode, backend="llm", verdict=verdict, blocks=evidence)
        tail_md = "\n\n" + to_markdown(tail, sources=False) if evidence or verdict else ""
        return answer, tail_md

