"""The LLM backend: any OpenAI-compatible chat-completions server through LangChain's ChatOpenAI.

Flow: prompts from `prompts/` -> passages fitted into the context budget (tiktoken counts) and
delimited as untrusted data -> one streamed call asking for JSON (response_format json_schema; when
the server rejects that, the same call without it, parsing the first JSON object of the text) ->
points and quotes mapped to passages -> citation guard -> markdown with numbered markers [n] and a
sources list. Every failure becomes a BackendError (the engine then falls back to the offline
engine). The whole call, retries included, ends within `llm_timeout` (+ a small slack)."""

from __future__ import annotations

import json
import queue
import re
import threading
import time
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import openai
from pydantic import BaseModel, Field, SecretStr, ValidationError, field_validator

from ..errors import BackendError
from ..guard import (
    check_claims, check_holders, flag_unverified_headlines, flag_unverified_quotes, guard_quotes, unclosed_quote_at,
)
from ..models import Answer, Mode, Passage, Point, Quote, Request
from ..prompts import load_prompt
from ..render import Citations, render_points, sources_block
from ..sanitize import redact, secret_prefix_at_end
from ..settings import Settings, get_settings
from ..text import SourceDocument

SLACK_S = 0.5  # the caller waits at most llm_timeout + this
OUTPUT_CAP = 1.5  # abort a reply longer than this x llm_max_tokens (a server ignoring the limit)
HISTORY_TURNS = 4
HISTORY_CHARS = 800
VERDICTS = ("supported", "contradicted", "partly_supported", "not_in_sources")
_HINT = "Check the LLM server and DEBATEBOT_LLM_* settings; answers come from the offline engine meanwhile."


# ---------------------------------------------------------------------------------------------
# The JSON the model is asked for
# ---------------------------------------------------------------------------------------------
def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    out = dict(schema)
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    out["type"] = [out["type"], "null"]
    return out


ANSWER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "answer": {"type": "string"},
        "points": {"type": "array", "items": {
            "type": "object",
            "properties": {
                "claim": {"type": "string"},
                "side": _nullable({"type": "string", "enum": ["for", "against", "neutral"]}),
                "holder": _nullable({"type": "string"}),
                "quotes": {"type": "array", "items": {
                    "type": "object",
                    "properties": {"text": {"type": "string"}, "passage": {"type": "string"}},
                    "required": ["text", "passage"], "additionalProperties": False,
                }},
            },
            "required": ["claim", "side", "holder", "quotes"], "additionalProperties": False,
        }},
        "verdict": _nullable({"type": "string", "enum": list(VERDICTS)}),
    },
    "required": ["answer", "points", "verdict"],
    "additionalProperties": False,
}
RESPONSE_FORMAT = {"type": "json_schema",
                   "json_schema": {"name": "debate_answer", "strict": True, "schema": ANSWER_SCHEMA}}


class RawQuote(BaseModel):
    text: str = ""
    passage: str = ""

    @field_validator("passage", mode="before")
    @classmethod
    def _label(cls, v: Any) -> str:
        m = re.search(r"\d+", str(v or ""))
        return f"P{int(m.group())}" if m else str(v or "")


class RawPoint(BaseModel):
    claim: str = ""
    side: str | None = None
    holder: str | None = None
    quotes: list[RawQuote] = Field(default_factory=list)

    @field_validator("side", mode="before")
    @classmethod
    def _side(cls, v: Any) -> str | None:
        v = str(v or "").strip().lower()
        return v if v in ("for", "against", "neutral") else None

    @field_validator("quotes", mode="before")
    @classmethod
    def _quotes(cls, v: Any) -> Any:
        return [{"text": q} if isinstance(q, str) else q for q in (v or [])]


class LLMReply(BaseModel):
    """What the model returns; lenient about shapes small models get slightly wrong."""

    answer: str = ""
    points: list[RawPoint] = Field(default_factory=list)
    verdict: str | None = None

    @field_validator("answer", mode="before")
    @classmethod
    def _answer(cls, v: Any) -> str:
        return "" if v is None else str(v)

    @field_validator("verdict", mode="before")
    @classmethod
    def _verdict(cls, v: Any) -> str | None:
        t = re.sub(r"[\s\-]+", "_", str(v or "").strip().lower())
        t = {"partially_supported": "partly_supported", "partial": "partly_supported", "not_in_the_sources":
             "not_in_sources", "not_found": "not_in_sources", "insufficient": "not_in_sources"}.get(t, t)
        return t if t in VERDICTS else None


def extract_json(text: str, keys: tuple[str, ...] = ("answer", "points", "verdict")) -> dict[str, Any] | None:
    """The first JSON object in `text` that has one of `keys`: bare, inside a ``` fence, or after prose.

    (langchain_core's parse_json_markdown handles fences but not an object after leading prose.)"""
    decoder = json.JSONDecoder(strict=False)
    t = text.strip()
    fence = re.search(r"```(?:json|JSON)?\s*(\{.*?\})\s*```", t, re.S)
    candidates = [t] + ([fence.group(1)] if fence else [])
    for c in candidates:
        try:
            obj = decoder.decode(c)
            if isinstance(obj, dict):
                return obj
        except ValueError:
            pass
    for n, m in enumerate(re.finditer(r"\{", t)):
        if n >= 20:
            break
        try:
            obj, _ = decoder.raw_decode(t, m.start())
        except ValueError:
            continue
        if isinstance(obj, dict) and (not keys or any(k in obj for k in keys)):
            return obj
    return None


class AnswerFieldScanner:
    """Incrementally decodes the "answer" string of a JSON object that is still arriving.

    Hand-written because re-parsing the whole buffer on every chunk (langchain's
    parse_partial_json) is quadratic; this looks at each character once."""

    _KEY = re.compile(r'"answer"\s*:\s*"')
    _ESC = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}

    def __init__(self) -> None:
        self.buf = ""
        self.pos = -1  # index in buf of the next undecoded answer character; -1 before the key
        self.done = False
        self.value: list[str] = []

    def feed(self, chunk: str) -> str:
        """Append `chunk`; return the newly decoded part of the answer string."""
        self.buf += chunk
        if self.done:
            return ""
        if self.pos < 0:
            m = self._KEY.search(self.buf)
            if not m:
                return ""
            self.pos = m.end()
        out: list[str] = []
        b, i = self.buf, self.pos
        while i < len(b):
            c = b[i]
            if c == '"':
                self.done = True
                i += 1
                break
            if c == "\\":
                if i + 1 >= len(b):
                    break
                e = b[i + 1]
                if e == "u":
                    if i + 6 > len(b):
                        break
                    try:
                        out.append(chr(int(b[i + 2 : i + 6], 16)))
                    except ValueError:
                        pass
                    i += 6
                    continue
                out.append(self._ESC.get(e, e))
                i += 2
                continue
            out.append(c)
            i += 1
        self.pos = i
        new = "".join(out)
        self.value.append(new)
        return new


# ---------------------------------------------------------------------------------------------
# Citation markers [P3] -> [n]
# ---------------------------------------------------------------------------------------------
_PMARK = re.compile(r"([ \t]*)\[\s*(P\d+(?:\s*[,;]\s*P?\d+)*)\s*\]", re.I)


def passage_quote(p: Passage, docs: dict[str, SourceDocument]) -> Quote:
    """The whole passage as a citable source entry (exact slice of its document)."""
    doc = docs.get(p.doc)
    text = doc.text[p.start : p.end] if doc is not None else p.text
    return Quote(text=text, doc=p.doc, start=p.start, end=p.end, paragraph=p.paragraph,
                 title=p.title or (doc.title if doc else ""), passage_id=p.id)


def convert_markers(text: str, labels: dict[str, Passage], docs: dict[str, SourceDocument], cites: Citations,
                    unknown: set[str] | None = None) -> str:
    """Replace [P3] / [P3, P5] markers by numbered markers [n]; unknown labels are removed."""

    def sub(m: re.Match[str]) -> str:
        out = []
        for part in re.split(r"\s*[,;]\s*", m.group(2)):
            label = "P" + re.sub(r"\D", "", part)
            p = labels.get(label)
            if p is None:
                if unknown is not None:
                    unknown.add(label)
                continue
            n = cites.mark(passage_quote(p, docs))
            if f"[{n}]" not in out:
                out.append(f"[{n}]")
        return m.group(1) + "".join(out) if out else ""  # a removed marker takes its leading space along

    return _PMARK.sub(sub, text)


class ProseStreamer:
    """Turns the growing answer text into markdown fragments that are safe to show at once: a marker
    is never cut in two, a quotation is held back until it closes and has been checked against the
    passages (an unverified one goes out flagged, never as if verified), a `> ` quoted line until it
    ends, and the API key is redacted (a fragment that may end in the start of it waits)."""

    def __init__(self, labels: dict[str, Passage], docs: dict[str, SourceDocument],
                 secrets: tuple[str, ...] = ()) -> None:
        self.labels, self.docs = labels, docs
        self.passages = list(labels.values())
        self.secrets = secrets
        self.cites = Citations()
        self.pending = ""

    def feed(self, new: str, *, final: bool = False) -> str:
        self.pending += new
        cut = len(self.pending)
        if not final:
            k = self.pending.rfind("[")
            if k != -1 and "]" not in self.pending[k:] and len(self.pending) - k < 24:
                cut = k
            q = unclosed_quote_at(self.pending[:cut])
            if q is not None:
                cut = q
            line = self.pending.rfind("\n", 0, cut) + 1
            if self.pending[line:cut].lstrip(" \t").startswith(">"):  # a quoted line is checked once whole
                cut = line
            cut -= secret_prefix_at_end(self.pending[:cut], self.secrets)
            while cut > 0 and self.pending[cut - 1] in " \t":  # a dropped marker takes its space along
                cut -= 1
        ready, self.pending = self.pending[:cut], self.pending[cut:]
        if not ready:
            return ""
        md = convert_markers(redact(ready, self.secrets), self.labels, self.docs, self.cites)
        md, _ = flag_unverified_quotes(md, self.passages, self.docs)  # the notices come with the final answer
        return md


# ---------------------------------------------------------------------------------------------
# The backend
# ---------------------------------------------------------------------------------------------
@dataclass
class Prepared:
    messages: list[tuple[str, str]]
    labels: dict[str, Passage]  # "P1" -> passage, for the passages actually sent
    left_out: int
    prompt_tokens: int


@dataclass
class _Outcome:
    text: list[str] = field(default_factory=list)
    finish_reason: str | None = None
    refusal: str | None = None
    structured: bool = True
    tokens: int = 0


class LLMBackend:
    """Backend protocol implementation over an OpenAI-compatible server (ChatOpenAI)."""

    name = "llm"

    def __init__(self, settings: Settings | None = None, *, chat_model: Any | None = None) -> None:
        self.settings = settings or get_settings()
        s = self.settings
        self.model_name = s.llm_model or ("default" if s.llm_base_url else "gpt-4o-mini")
        self.label = f"LLM: {self.model_name}"
        key = s.api_key()
        self._key = SecretStr(key) if key else None  # a SecretStr never shows up in a repr or a log
        self._schema_ok = True  # flips to False once the server rejects json_schema output
        from ..chunking import get_encoding

        self._enc = get_encoding(s.encoding)  # loaded now, not inside the first call's deadline
        if chat_model is None:
            from langchain_openai import ChatOpenAI

            chat_model = ChatOpenAI(
                model=self.model_name, base_url=s.llm_base_url, api_key=key or "not-needed",
                timeout=s.llm_timeout, max_retries=0,  # retries are ours: bounded by the deadline
                max_tokens=s.llm_max_tokens, temperature=s.llm_temperature, streaming=True,
                use_responses_api=False, stream_usage=False,
            )
        self.chat_model = chat_model
        # ChatOpenAI streams structured output through `client.beta`, whose first use imports ~1-2 s of
        # SDK types: do that now, in the background, rather than inside the first call's deadline.
        self.warmed = threading.Event()
        threading.Thread(target=_warm_up, args=(chat_model, self.warmed), name="debatebot-llm-warmup",
                         daemon=True).start()

    # ---- public ----------------------------------------------------------------------------------
    def answer(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> Answer:
        gen = self.stream(request, passages, docs)
        while True:
            try:
                next(gen)
            except StopIteration as stop:
                return stop.value

    def stream(self, request: Request, passages: list[Passage],
               docs: dict[str, SourceDocument]) -> Generator[str, None, Answer]:
        """Yields markdown fragments of the answer prose as they arrive, then the evidence and sources;
        returns the guarded Answer. Raises BackendError on any failure."""
        deadline = time.monotonic() + self.settings.llm_timeout
        prep = self.prepare(request, passages, docs)
        out = _Outcome(structured=self._schema_ok)
        scanner = AnswerFieldScanner()
        prose = ProseStreamer(prep.labels, docs, self._secrets())
        cap = int(self.settings.llm_max_tokens * OUTPUT_CAP) + 32
        enc = self._enc
        for kind, value in self._events(prep.messages, deadline):
            if kind == "schema_rejected":
                out.structured = False
                continue
            if kind == "finish":
                out.finish_reason = value
                continue
            text = _chunk_text(value)
            meta = getattr(value, "response_metadata", None) or {}
            extra = getattr(value, "additional_kwargs", None) or {}
            out.finish_reason = meta.get("finish_reason") or out.finish_reason
            out.refusal = extra.get("refusal") or out.refusal
            if not text:
                continue
            out.text.append(text)
            out.tokens += len(enc.encode_ordinary(text))
            if out.tokens > cap:
                raise BackendError(f"The LLM's reply ran past the token limit ({self.settings.llm_max_tokens} "
                                   "tokens); it was abandoned.", hint=_HINT)
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

    # ---- prompt ------------------------------------------------------------------------------------
    def prepare(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> Prepared:
        """Messages for the request, with as many passages as the context budget allows."""
        if not passages:
            raise BackendError("No passages were retrieved for this request, so the LLM has nothing to cite.",
                               hint="The offline engine handles requests that need the whole library.")
        s = self.settings
        enc = self._enc

        def count(t: str) -> int:
            return len(enc.encode_ordinary(t)) + 4  # + per-message overhead

        # a PromptError (missing file or variable) is a bug or a broken install: it propagates, loudly
        system = load_prompt("system").render()
        user_prompt = load_prompt(request.mode.value)
        vars_ = mode_variables(request)
        skeleton = user_prompt.render(passages="", **vars_)
        budget = s.llm_context_tokens - s.llm_max_tokens - count(system) - count(skeleton) - 16
        blocks: list[str] = []
        labels: dict[str, Passage] = {}
        left_out = 0
        for p in passages:
            block = format_passage(f"P{len(labels) + 1}", p, docs)
            cost = len(enc.encode_ordinary(block)) + 1
            if cost > budget:
                left_out += 1
                continue
            budget -= cost
            labels[f"P{len(labels) + 1}"] = p
            blocks.append(block)
        if not labels:
            raise BackendError("The passages do not fit the LLM's context window "
                               f"({s.llm_context_tokens} tokens with {s.llm_max_tokens} kept for the answer).",
                               hint="Raise DEBATEBOT_LLM_CONTEXT_TOKENS or lower DEBATEBOT_LLM_MAX_TOKENS.")
        messages: list[tuple[str, str]] = [("system", system)]
        history: list[tuple[str, str]] = []
        for turn in reversed(request.history[-HISTORY_TURNS:]):
            role = turn.get("role")
            content = str(turn.get("content") or "")[:HISTORY_CHARS]
            if role not in ("user", "assistant") or not content.strip():
                continue
            cost = count(content)
            if cost > budget:
                break
            budget -= cost
            history.insert(0, ("human" if role == "user" else "ai", content))
        messages += history
        user = user_prompt.render(passages="\n\n".join(blocks), **vars_)
        messages.append(("human", user))
        return Prepared(messages, labels, left_out, sum(count(c) for _, c in messages))

    # ---- the call ----------------------------------------------------------------------------------
    def _events(self, messages: list[tuple[str, str]], deadline: float) -> Iterator[tuple[str, Any]]:
        """Runs the call in a worker thread; yields ("chunk", AIMessageChunk), ("finish", reason),
        ("schema_rejected", None). The caller never waits past the deadline + SLACK_S."""
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        cancel = threading.Event()

        def work() -> None:
            try:
                self._call(messages, deadline, events, cancel)
            except BaseException as e:  # noqa: BLE001 - every failure goes back to the caller
                events.put(("error", e))
            else:
                events.put(("end", None))

        threading.Thread(target=work, name="debatebot-llm", daemon=True).start()
        try:
            while True:
                wait = deadline + SLACK_S - time.monotonic()
                try:
                    kind, value = events.get(timeout=max(0.0, wait))
                except queue.Empty:
                    raise BackendError(self._timeout_message(), hint=_HINT) from None
                if kind == "error":
                    raise self.to_backend_error(value)
                if kind == "end":
                    return
                yield kind, value
        finally:
            cancel.set()

    def _call(self, messages, deadline: float, events: queue.Queue, cancel: threading.Event) -> None:
        """One streamed request; retried (at most llm_max_retries times) on 429/5xx/connection errors
        that happen before any content arrived and when the wait fits in the deadline. The SDK's own
        retries are off because it honours Retry-After up to two minutes, whatever our deadline."""
        structured = self._schema_ok
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                raise BackendError(self._timeout_message(), hint=_HINT)
            kwargs: dict[str, Any] = {"timeout": remaining}
            if structured:
                kwargs["response_format"] = RESPONSE_FORMAT
            started = False
            try:
                with closing(iter(self.chat_model.stream(messages, **kwargs))) as chunks:
                    for chunk in chunks:
                        if cancel.is_set():
                            return
                        started = True
                        events.put(("chunk", chunk))
                return
            except openai.LengthFinishReasonError:
                events.put(("finish", "length"))  # the SDK's structured-output helper raises on "length"
                return
            except openai.ContentFilterFinishReasonError:
                events.put(("finish", "content_filter"))
                return
            except openai.APIStatusError as e:
                last: BaseException = e
                if structured and e.status_code in (400, 422) and _mentions_schema(e):
                    structured = False
                    self._schema_ok = False
                    events.put(("schema_rejected", None))
                    continue
                retryable = e.status_code in (408, 409, 429) or e.status_code >= 500
                if started or not retryable or attempt >= self.settings.llm_max_retries:
                    raise
                wait = _retry_after(e) or 0.25 * 2**attempt
            except openai.APIConnectionError as e:
                last = e
                if started or attempt >= self.settings.llm_max_retries:
                    raise
                wait = 0.25 * 2**attempt
            if time.monotonic() + wait >= deadline:
                raise last
            if cancel.wait(wait):
                return
            attempt += 1

    # ---- the answer --------------------------------------------------------------------------------
    def build(self, request: Request, prep: Prepared, docs: dict[str, SourceDocument],
              out: _Outcome) -> tuple[Answer, str]:
        """The guarded Answer from the model's text, and the markdown that follows the prose."""
        text = "".join(out.text)
        if out.refusal:
            raise BackendError(f"The LLM declined to answer: “{_clip(out.refusal, 160)}”", hint=_HINT)
        if out.finish_reason == "content_filter":
            raise BackendError("The LLM server filtered the answer (content filter).", hint=_HINT)
        if not text.strip():
            raise BackendError("The LLM returned an empty answer.", hint=_HINT)
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
                               f"(it began: “{_clip(text, 80)}”).", hint=_HINT)
        if out.finish_reason == "length":
            notices.append(f"The LLM's answer was cut at its token limit ({self.settings.llm_max_tokens} tokens); "
                           "what arrived is shown.")
        try:
            reply = LLMReply.model_validate(data)
        except ValidationError as e:
            raise BackendError(f"The LLM's JSON answer has the wrong shape ({e.error_count()} problem(s)).",
                               hint=_HINT) from e
        if not reply.answer.strip() and not reply.points:
            raise BackendError("The LLM returned an empty answer.", hint=_HINT)

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
        judged, claim_notices = check_claims(held, used, docs)
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
        body: list[str] = []
        if verdict is not None:
            from .offline import VERDICT_LABELS

            body += [f"**Verdict: {VERDICT_LABELS.get(verdict, verdict)}**", ""]
            if not any(p.quotes for p in guarded.points):
                notices.append("The LLM's verdict has no verified quotation behind it; check it against the sources.")
        if guarded.points:
            body += ["**Evidence**", ""] + render_points(guarded.points, cites)
        tail = "\n".join(body).rstrip()
        src = sources_block(cites.sources)
        tail_md = ("\n\n" + tail if tail else "") + ("\n" + src if src else "") + "\n"
        if prep.left_out:
            notices.append(f"{prep.left_out} retrieved passage(s) did not fit the model's context window and were "
                           "left out.")
        # an LLM server may echo the API key in a normal answer: it never reaches the reader
        prose, tail_md = self.redact(prose), self.redact(tail_md)
        notices = [self.redact(n) for n in notices]
        guarded.points = [p.model_copy(update={"claim": self.redact(p.claim),
                                               "holder": self.redact(p.holder) if p.holder else p.holder})
                          for p in guarded.points]
        answer = Answer(
            mode=request.mode, backend="llm", answer=prose + tail_md, points=guarded.points, notices=notices,
            sources=cites.sources, verdict=verdict,
            details={"model": self.model_name, "passages_sent": len(prep.labels), "passages_left_out": prep.left_out,
                     "prompt_tokens": prep.prompt_tokens, "completion_tokens": out.tokens,
                     "structured_output": out.structured, "finish_reason": out.finish_reason,
                     "guard": guarded.summary},
        )
        return answer, tail_md

    # ---- errors ------------------------------------------------------------------------------------
    @property
    def _where(self) -> str:
        url = self.settings.llm_base_url
        if not url:
            return "the OpenAI API"
        parts = urlsplit(url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host  # never echo user:password@
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def _timeout_message(self) -> str:
        return f"The LLM server at {self._where} did not answer within {self.settings.llm_timeout:g} s."

    def to_backend_error(self, e: BaseException) -> BackendError:
        """A user-facing BackendError for any failure of the call; the API key never appears in it."""
        if isinstance(e, BackendError):
            return e
        where = self._where
        if isinstance(e, openai.APITimeoutError):
            msg = self._timeout_message()
        elif isinstance(e, openai.APIConnectionError):
            msg = (f"Could not reach the LLM server at {where}, or the connection dropped mid-answer "
                   f"({_cause(e)}).")
        elif isinstance(e, openai.APIStatusError):
            code = e.status_code
            server_msg = _clip(str(getattr(e, "message", "") or ""), 160)
            if code == 429:
                ra = _retry_after(e)
                msg = f"The LLM server is rate-limiting requests (HTTP 429{f', retry after {ra:g} s' if ra else ''})."
            elif code in (401, 403):
                msg = f"The LLM server rejected the credentials (HTTP {code}). Check DEBATEBOT_LLM_API_KEY."
            elif code == 404:
                msg = f"The LLM server at {where} does not serve model “{self.model_name}” (HTTP 404)."
            elif code >= 500:
                msg = f"The LLM server failed (HTTP {code}): {server_msg}"
            else:
                msg = f"The LLM server refused the request (HTTP {code}): {server_msg}"
        elif isinstance(e, ValueError | AssertionError | KeyError | TypeError | openai.APIResponseValidationError):
            msg = f"The LLM server's reply could not be read as an OpenAI chat completion ({_cause(e)})."
        else:
            msg = f"The LLM call failed ({type(e).__name__}: {_clip(str(e), 160)})."
        err = BackendError(self.redact(msg), hint=_HINT)
        return err

    def _secrets(self) -> tuple[str, ...]:
        key = self._key.get_secret_value() if self._key else ""
        return (key,) if len(key) >= 4 else ()

    def redact(self, text: str) -> str:
        return redact(text, self._secrets())


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------
_TAG = re.compile(r"<(\s*/?\s*)(passage)", re.I)


def format_passage(label: str, p: Passage, docs: dict[str, SourceDocument]) -> str:
    """A passage as delimited untrusted data; a delimiter inside the text is neutralised."""
    doc = docs.get(p.doc)
    text = doc.text[p.start : p.end] if doc is not None else p.text
    text = _TAG.sub(lambda m: "&lt;" + m.group(1) + m.group(2), text)
    attr = re.sub(r'["<>&\n]', "_", p.doc)
    return f'<passage id="{label}" doc="{attr}" paragraph="{p.paragraph + 1}">\n{text}\n</passage>'


def mode_variables(req: Request) -> dict[str, str]:
    """Template variables of the user prompt of `req.mode` (empty optional values spelled out)."""
    text = (req.text or "").strip()
    motion = (req.motion or "").strip()
    none = "(none given)"
    if req.mode == Mode.ask:
        q = f"{text} (follow-up to: {req.topic})" if req.topic else text
        return {"question": q}
    if req.mode == Mode.argue:
        return {"motion": motion or text, "side": req.side or "for"}
    if req.mode == Mode.rebut:
        return {"argument": text, "motion": motion or none}
    if req.mode == Mode.check:
        return {"claim": text}
    if req.mode == Mode.quote:
        return {"quotation": text, "speaker": (req.speaker or "").strip() or none}
    if req.mode == Mode.summary:
        return {"topic": (req.topic or text or "").strip() or none}
    if req.mode == Mode.practice:
        other = {"for": "against", "against": "for"}.get(req.side or "")
        side_text = f"{other} the motion" if other else "against the student's argument"
        return {"argument": text, "motion": motion or none, "opponent_side": side_text,
                "opponent_stance": other or "neutral"}
    raise BackendError(f"Mode {req.mode!r} is not supported by the LLM backend.")


def _chunk_text(chunk: Any) -> str:
    content = getattr(chunk, "content", chunk)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(c if isinstance(c, str) else str(c.get("text", "")) for c in content if isinstance(c, str | dict))
    return ""


def _mentions_schema(e: openai.APIStatusError) -> bool:
    text = f"{getattr(e, 'message', '')} {e.body}".lower()
    return any(k in text for k in ("response_format", "json_schema", "json schema", "structured output"))


def _retry_after(e: openai.APIStatusError) -> float | None:
    headers = getattr(getattr(e, "response", None), "headers", None) or {}
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            v = float(headers.get(name))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if v >= 0:
            return v * scale
    return None


def _cause(e: BaseException) -> str:
    """Name of the innermost exception (e.g. ConnectError, RemoteProtocolError, JSONDecodeError)."""
    seen = {id(e)}
    while (nxt := e.__cause__ or e.__context__) is not None and id(nxt) not in seen \
            and not isinstance(nxt, StopIteration):  # parser internals, not the cause
        seen.add(id(nxt))
        e = nxt
    return type(e).__name__


def _clip(text: str, n: int) -> str:
    t = " ".join(str(text).split())
    return t if len(t) <= n else t[: n - 1] + "…"


def _warm_up(chat_model: Any, done: threading.Event) -> None:
    try:
        chat_model.root_client.beta  # noqa: B018 - lazy import of the SDK's beta/streaming helpers
    except Exception:  # noqa: BLE001 - warming up is best effort
        pass
    finally:
        done.set()
