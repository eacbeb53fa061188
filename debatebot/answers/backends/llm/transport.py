"""The call to an OpenAI-compatible server (LangChain's ChatOpenAI): one streamed request in a worker
thread, bounded retries inside one deadline, the response-format fallbacks (json_schema, else JSON mode
with the schema, else plain text) and every failure turned into a user-facing BackendError that never
shows the API key."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import openai
from pydantic import SecretStr

from debatebot.answers.backends.llm.reply import JSON_MODE_FORMAT, RESPONSE_FORMAT
from debatebot.core.errors import BackendError
from debatebot.core.sanitize import redact
from debatebot.core.settings import Settings
from debatebot.core.text import clip

SLACK_S = 0.5  # the caller waits at most llm_timeout + this
HINT = "Check the LLM server and DEBATEBOT_LLM_* settings; answers come from the offline engine meanwhile."


class ChatTransport:
    """Streams chat completions from the configured server; owns the client, the key and the deadline."""

    def __init__(self, settings: Settings, chat_model: Any | None = None) -> None:
        self.settings = s = settings
        self.model_name = s.llm.model or ("default" if s.llm.base_url else "gpt-4o-mini")
        key = s.llm.resolved_api_key()
        self._key = SecretStr(key) if key else None  # a SecretStr never shows up in a repr or a log
        self.schema_ok = True  # flips to False once the server rejects json_schema output
        self.json_mode_ok = True  # ... and this once it rejects JSON mode (json_object) too
        if chat_model is None:
            from langchain_openai import ChatOpenAI

            chat_model = ChatOpenAI(
                model=self.model_name, base_url=s.llm.base_url, api_key=SecretStr(key or "not-needed"),
                timeout=s.llm.timeout, max_retries=0,  # retries are ours: bounded by the deadline
                max_completion_tokens=s.llm.max_tokens, temperature=s.llm.temperature, streaming=True,
                use_responses_api=False, stream_usage=False,
            )
        self.chat_model = chat_model
        # ChatOpenAI streams structured output through `client.beta`, whose first use imports ~1-2 s of
        # SDK types: do that now, in the background, rather than inside the first call's deadline.
        self.warmed = threading.Event()
        threading.Thread(target=_warm_up, args=(chat_model, self.warmed), name="debatebot-llm-warmup",
                         daemon=True).start()

    def events(self, messages: list[tuple[str, str]], deadline: float) -> Iterator[tuple[str, Any]]:
        """Runs the call in a worker thread; yields ("chunk", AIMessageChunk), ("finish", reason),
        ("schema_rejected", the response format used instead: "json_object" or "text"). The caller never
        waits past the deadline + SLACK_S."""
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        cancel = threading.Event()

        def work() -> None:
            try:
                self._call(messages, deadline, events, cancel)
            except BaseException as e:  # every failure goes back to the caller
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
                    raise BackendError(self._timeout_message(), hint=HINT) from None
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
        fmt = "json_schema" if self.schema_ok else "json_object" if self.json_mode_ok else "text"
        attempt = 0
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0.05:
                raise BackendError(self._timeout_message(), hint=HINT)
            kwargs: dict[str, Any] = {"timeout": remaining}
            if fmt == "json_schema":
                kwargs["response_format"] = RESPONSE_FORMAT
            else:  # not OpenAI's own API (it takes json_schema): JSON mode where the server has it, and the
                # answer's token limit under its older name too, which such servers honour (llama-cpp-python
                # ignores max_completion_tokens)
                kwargs["extra_body"] = {"max_tokens": self.settings.llm.max_tokens}
                if fmt == "json_object":
                    kwargs["response_format"] = JSON_MODE_FORMAT
            started = False
            try:
                with closing(iter(self.chat_model.stream(messages, **kwargs))) as chunks:  # type: ignore[type-var]
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
                if fmt != "text" and _schema_refused(e):
                    if fmt == "json_schema":
                        self.schema_ok = False
                    else:
                        self.json_mode_ok = False
                    fmt = "json_object" if fmt == "json_schema" else "text"
                    events.put(("schema_rejected", fmt))
                    continue
                retryable = e.status_code in (408, 409, 429) or e.status_code >= 500
                if started or not retryable or attempt >= self.settings.llm.max_retries:
                    raise
                wait = _retry_after(e) or 0.25 * 2**attempt
            except openai.APIConnectionError as e:
                last = e
                if started or attempt >= self.settings.llm.max_retries:
                    raise
                wait = 0.25 * 2**attempt
            if time.monotonic() + wait >= deadline:
                raise last
            if cancel.wait(wait):
                return
            attempt += 1

    @property
    def _where(self) -> str:
        url = self.settings.llm.base_url
        if not url:
            return "the OpenAI API"
        parts = urlsplit(url)
        host = parts.hostname or ""
        netloc = f"{host}:{parts.port}" if parts.port else host  # never echo user:password@
        return urlunsplit((parts.scheme, netloc, parts.path, "", ""))

    def _timeout_message(self) -> str:
        return f"The LLM server at {self._where} did not answer within {self.settings.llm.timeout:g} s."

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
            server_msg = clip(str(getattr(e, "message", "") or ""), 160)
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
            msg = f"The LLM call failed ({type(e).__name__}: {clip(str(e), 160)})."
        err = BackendError(self.redact(msg), hint=HINT)
        return err

    def secrets(self) -> tuple[str, ...]:
        key = self._key.get_secret_value() if self._key else ""
        return (key,) if len(key) >= 4 else ()

    def redact(self, text: str) -> str:
        return redact(text, self.secrets())


def chunk_text(chunk: Any) -> str:
    content = getattr(chunk, "content", chunk)
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(c if isinstance(c, str) else str(c.get("text", "")) for c in content if isinstance(c, str | dict))
    return ""


def _mentions_schema(e: openai.APIStatusError) -> bool:
    text = f"{getattr(e, 'message', '')} {e.body}".lower()
    return any(k in text for k in ("response_format", "json_schema", "json schema", "structured output"))


def _schema_refused(e: openai.APIStatusError) -> bool:
    """Whether the server turned the request down for its response format (json_schema, or JSON mode): a
    400/422 that says so, or a 5xx that says so (llama-cpp-python's server answers its own validation
    error, "Input should be 'text' or 'json_object'" at response_format.type, with HTTP 500)."""
    return (e.status_code in (400, 422) or e.status_code >= 500) and _mentions_schema(e)


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


def _warm_up(chat_model: Any, done: threading.Event) -> None:
    try:
        chat_model.root_client.beta  # noqa: B018 - lazy import of the SDK's beta/streaming helpers
    except Exception:  # warming up is best effort
        pass
    finally:
        done.set()
