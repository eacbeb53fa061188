"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol, for tests.

    POST /v1/chat/completions   non-streaming JSON, or SSE when "stream": true
    GET  /v1/models             a one-model list

Replies are scripted (`server.script(...)`, a FIFO queue) or computed (`server.responder =
lambda body: ...`); an item is a `Reply`, a `str` (assistant text) or a `dict` (sent as JSON text).
Faults: `Reply.error(429, retry_after=1)`, `Reply.error(500)`, `Reply.invalid_json()`,
`Reply(content=..., delay=2)` (slow first token), `Reply(content=..., cut_after=3)` (stream cut),
`Reply.refused(...)`, `Reply.overlong()` (10x the request's token limit), `server.reject_json_schema`
(400 on response_format json_schema; `server.reject_json_schema_status = 500` answers as
llama-cpp-python's server does), `server.reject_json_mode` (the same for json_object), and
`server.stop()` (connection refused from then on).
Every request is recorded in `server.requests` (method, path, headers, parsed body).

Written on the stdlib http.server because the test must exercise the real client stack (httpx,
openai SDK, LangChain) over a socket, and no kept library offers a scriptable fault-injecting fake."""

from __future__ import annotations

import json
import queue
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

MODEL = "fake-model"


@dataclass
class Reply:
    """One scripted answer from the fake server."""

    content: str | None = ""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    error_body: dict[str, Any] | None = None  # OpenAI error object for status >= 400
    raw: bytes | None = None  # send exactly these bytes as the body (e.g. invalid JSON)
    delay: float = 0.0  # seconds before the response starts (slow first token)
    chunk_delay: float = 0.0  # seconds between streamed chunks
    chunk_chars: int = 12  # characters per streamed delta
    cut_after: int | None = None  # streaming: drop the connection after this many content chunks
    refusal: str | None = None
    finish_reason: str = "stop"
    overlong_factor: int | None = None  # reply with factor x the request's max tokens of text

    @classmethod
    def text(cls, content: str, **kw: Any) -> Reply:
        return cls(content=content, **kw)

    @classmethod
    def json(cls, obj: Any, **kw: Any) -> Reply:
        return cls(content=json.dumps(obj, ensure_ascii=False), **kw)

    @classmethod
    def error(cls, status: int, message: str | None = None, *, retry_after: float | None = None,
              code: str | None = None, param: str | None = None) -> Reply:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        kind = {400: "invalid_request_error", 401: "authentication_error", 429: "rate_limit_exceeded"}.get(
            status, "server_error")
        err = {"message": message or f"fake error {status}", "type": kind, "param": param, "code": code}
        return cls(content=None, status=status, headers=headers, error_body=err)

    @classmethod
    def invalid_json(cls) -> Reply:
        return cls(content=None, raw=b'{"id": "x", "choices": [ {"message": ')

    @classmethod
    def refused(cls, text: str = "I'm sorry, I can't help with that.") -> Reply:
        return cls(content=None, refusal=text)

    @classmethod
    def overlong(cls, factor: int = 10) -> Reply:
        return cls(content=None, overlong_factor=factor, finish_reason="length")


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: Any

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list((self.body or {}).get("messages", [])) if isinstance(self.body, dict) else []

    def text(self) -> str:
        """All message contents joined (what the model would read)."""
        out = []
        for m in self.messages:
            c = m.get("content")
            if isinstance(c, list):
                c = " ".join(part.get("text", "") for part in c if isinstance(part, dict))
            out.append(str(c or ""))
        return "\n".join(out)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that drop connections (timeouts, cancelled streams) are expected here: stay quiet."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            super().handle_error(request, client_address)


class FakeOpenAI:
    """The server. `url` is the base URL to give a client (ends in /v1)."""

    def __init__(self, model: str = MODEL) -> None:
        self.model = model
        self.requests: list[Recorded] = []
        self.replies: queue.Queue[Reply | str | dict] = queue.Queue()
        self.responder: Callable[[dict[str, Any]], Reply | str | dict] | None = None
        self.reject_json_schema = False
        self.reject_json_schema_status = 400
        self.reject_json_mode = False
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # ---- control -----------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply | str | dict) -> FakeOpenAI:
        for r in replies:
            self.replies.put(r)
        return self

    def start(self) -> FakeOpenAI:
        self._stopping.clear()
        handler = type("Handler", (_Handler,), {"fake": self})
        self._httpd = _Server(("127.0.0.1", 0), handler)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-openai", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Close the listening socket: later connections are refused (the port stays reserved by nobody)."""
        self._stopping.set()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> FakeOpenAI:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # ---- replies -----------------------------------------------------------------------------------
    def next_reply(self, body: dict[str, Any]) -> Reply:
        kind = (body.get("response_format") or {}).get("type")
        if self.reject_json_schema and kind == "json_schema":
            if self.reject_json_schema_status >= 500:  # llama-cpp-python: its validation error, as a 500
                return Reply.error(500, "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', "
                                   "'response_format', 'type'), 'msg': \"Input should be 'text' or 'json_object'\"}")
            return Reply.error(self.reject_json_schema_status,
                               "response_format of type 'json_schema' is not supported by this server",
                               param="response_format")
        if self.reject_json_mode and kind == "json_object":
            return Reply.error(400, "response_format of type 'json_object' is not supported by this server",
                               param="response_format")
        if self.responder is not None:
            item = self.responder(body)
        else:
            try:
                item = self.replies.get_nowait()
            except queue.Empty:
                return Reply.error(500, "fake_openai: no scripted reply left")
        if isinstance(item, Reply):
            return item
        if isinstance(item, str):
            return Reply.text(item)
        return Reply.json(item)

    def sleep(self, seconds: float) -> None:
        self._stopping.wait(seconds)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeOpenAI
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - keep test output quiet
        pass

    # ---- plumbing ----------------------------------------------------------------------------------
    def _record(self, body: Any) -> None:
        self.fake.requests.append(Recorded(self.command, self.path, {k.lower(): v for k, v in self.headers.items()},
                                           body))

    def _send_json(self, status: int, obj: Any, headers: dict[str, str] | None = None, raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()

    def _drop(self) -> None:
        """Cut the connection abruptly (no terminating chunk)."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ---- routes ------------------------------------------------------------------------------------
    def do_GET(self) -> None:  # noqa: N802
        self._record(None)
        if self.path.rstrip("/") in ("/v1/models", "/models"):
            self._send_json(200, {"object": "list", "data": [
                {"id": self.fake.model, "object": "model", "created": 0, "owned_by": "fake-openai"}]})
        else:
            self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})

    def do_POST(self) -> None:  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            self._record(raw.decode("utf-8", "replace"))
            self._send_json(400, {"error": {"message": "request body is not JSON", "type": "invalid_request_error"}})
            return
        self._record(body)
        if not self.path.rstrip("/").endswith("/chat/completions"):
            self._send_json(404, {"error": {"message": "not found", "type": "invalid_request_error"}})
            return
        reply = self.fake.next_reply(body)
        if reply.delay:
            self.fake.sleep(reply.delay)
        if reply.status >= 400:
            self._send_json(reply.status, {"error": reply.error_body}, reply.headers)
            return
        if reply.raw is not None and not body.get("stream"):
            self._send_json(reply.status, None, reply.headers, raw=reply.raw)
            return
        content = reply.content
        if reply.overlong_factor:
            limit = int(body.get("max_completion_tokens") or body.get("max_tokens") or 256)
            content = '{"answer": "' + "mines " * (limit * reply.overlong_factor)
        if body.get("stream"):
            self._stream(body, reply, content)
        else:
            self._complete(body, reply, content)

    def _complete(self, body: dict[str, Any], reply: Reply, content: str | None) -> None:
        message: dict[str, Any] = {"role": "assistant", "content": content, "refusal": reply.refusal}
        words = len((content or "").split())
        self._send_json(200, {
            "id": f"chatcmpl-fake-{len(self.fake.requests)}", "object": "chat.completion", "created": int(time.time()),
            "model": body.get("model", self.fake.model),
            "choices": [{"index": 0, "message": message, "logprobs": None,
                         "finish_reason": reply.finish_reason if reply.refusal is None else "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": words, "total_tokens": 10 + words},
        }, reply.headers)

    def _stream(self, body: dict[str, Any], reply: Reply, content: str | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.send_header("Transfer-Encoding", "chunked")
        for k, v in reply.headers.items():
            self.send_header(k, v)
        self.end_headers()
        base = {"id": f"chatcmpl-fake-{len(self.fake.requests)}", "object": "chat.completion.chunk",
                "created": int(time.time()), "model": body.get("model", self.fake.model)}

        def event(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> None:
            payload = {**base, "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
                       **extra}
            self._chunk(b"data: " + json.dumps(payload).encode() + b"\n\n")

        try:
            if reply.raw is not None:  # a malformed event in the stream
                self._chunk(b"data: " + reply.raw + b"\n\n")
                self._chunk(b"data: [DONE]\n\n")
                self._chunk(b"")
                return
            event({"role": "assistant", "content": ""})
            if reply.refusal is not None:
                event({"refusal": reply.refusal})
                event({}, "stop")
            else:
                text = content or ""
                step = max(1, reply.chunk_chars)
                for n, i in enumerate(range(0, len(text), step)):
                    if reply.cut_after is not None and n >= reply.cut_after:
                        self._drop()
                        return
                    if reply.chunk_delay and n:
                        self.fake.sleep(reply.chunk_delay)
                    if self.fake._stopping.is_set():
                        self._drop()
                        return
                    event({"content": text[i : i + step]})
                if reply.cut_after is not None:
                    self._drop()
                    return
                event({}, reply.finish_reason)
            if (body.get("stream_options") or {}).get("include_usage"):
                self._chunk(b"data: " + json.dumps({**base, "choices": [], "usage": {
                    "prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}}).encode() + b"\n\n")
            self._chunk(b"data: [DONE]\n\n")
            self._chunk(b"")  # terminating zero-length chunk
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True


@pytest.fixture
def fake_openai(monkeypatch):
    """A started FakeOpenAI; stopped after the test. Loopback is exempted from any proxy settings."""
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    server = FakeOpenAI().start()
    try:
        yield server
    finally:
        server.stop()
