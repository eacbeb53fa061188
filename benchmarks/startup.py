"""Cold start of `debatebot serve` and time to the first streamed answer token, in fresh processes.

    .venv/bin/python benchmarks/startup.py [--runs 3]

Each run starts `debatebot serve` as a new process (nothing cached in memory) and measures:
- page: seconds until http://127.0.0.1:PORT/ answers 200 (the app is usable: it shows the sources);
- engine: seconds until the process prints "engine ready" (embedding model loaded, warmed up);
- first token / answer: an offline "Argue for" request sent through the app's own API right after
  the engine is ready: seconds until the first streamed text of the answer, and until it is complete.
Two cases: an index that already holds the seed article, and an empty index (the first start
indexes seeds/ before the engine is ready)."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "debatebot"
MOTION = "European NATO members should be prepared to use anti-personnel mines"
PENDING_PREFIX = "_Searching"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def one_run(index_dir: Path, home: Path) -> dict:
    port = free_port()
    env = dict(os.environ, DEBATEBOT_INDEX_DIR=str(index_dir), HOME=str(home), DEBATEBOT_LLM_BASE_URL="",
               DEBATEBOT_LLM_API_KEY="", HF_HUB_OFFLINE="1")
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(EXE), "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    ready = threading.Event()
    out: dict = {}

    def watch() -> None:
        for line in proc.stderr:
            if "engine ready" in line and "engine" not in out:
                out["engine"] = time.perf_counter() - t0
                ready.set()

    threading.Thread(target=watch, daemon=True).start()
    url = f"http://127.0.0.1:{port}/"
    try:
        while time.perf_counter() - t0 < 120:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        out["page"] = time.perf_counter() - t0
                        break
            except Exception:
                time.sleep(0.05)
        if not ready.wait(120):
            raise RuntimeError("the engine did not report ready within 120 s")
        from gradio_client import Client

        client = Client(url, verbose=False)
        t1 = time.perf_counter()
        job = client.submit(MOTION, "Argue for", MOTION, "for", "", [], api_name="/respond")
        first = None
        for update in job:
            chat = update[0] if isinstance(update, (list, tuple)) else None
            if chat and first is None:
                last = chat[-1]
                text = last.get("content") if isinstance(last, dict) else str(last)
                text = text if isinstance(text, str) else str(text)
                if last.get("role") == "assistant" and text.strip() and not text.startswith(PENDING_PREFIX):
                    first = time.perf_counter() - t1
        job.result()
        out["first_token"] = first if first is not None else time.perf_counter() - t1
        out["answer"] = time.perf_counter() - t1
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="debatebot-startup-"))
    rows = []
    try:
        home = work / "home"
        home.mkdir()
        filled = work / "filled"
        env = dict(os.environ, DEBATEBOT_INDEX_DIR=str(filled), HOME=str(home), HF_HUB_OFFLINE="1")
        subprocess.run([str(EXE), "index"], cwd=ROOT, env=env, check=True, capture_output=True)
        for case in ("index holds the seed", "empty index (first start)"):
            runs = []
            for i in range(args.runs):
                idx = filled if case.startswith("index holds") else work / f"empty{i}"
                runs.append(one_run(idx, home))
            rows.append((case, runs))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("| start | runs | page served s (median / max) | engine ready s | first answer token s | whole answer s |")
    print("|---|---|---|---|---|---|")
    for case, runs in rows:
        def col(key: str) -> str:
            xs = [r[key] for r in runs if key in r]  # noqa: B023 - col is called within this iteration
            return f"{statistics.median(xs):.1f} / {max(xs):.1f}" if xs else "-"

        print(f"| {case} | {len(runs)} | {col('page')} | {col('engine')} | {col('first_token')} | {col('answer')} |")


if __name__ == "__main__":
    main()
