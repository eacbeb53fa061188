"""Cold-process wall time of CLI answers against `debatebot docs`, on an indexed seed.

    .venv/bin/python benchmarks/cli_startup.py [--runs 5]

Each command runs as a fresh process (nothing cached in memory), the commands interleaved run by
run so that machine noise hits them alike; the table gives the median and max wall time and the
ratio of each median to the median of `docs` (the bar: <= 1.5x). It also reports whether the
process imported torch (it must not: every model runs on onnxruntime)."""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXE = Path(sys.executable).parent / "debatebot"
COMMANDS = {
    "docs": ["docs"],
    "search": ["search", "How many nations ratified the Ottawa Convention?"],
    "ask": ["ask", "How many nations ratified the Ottawa Convention?"],
    "check": ["check", "164 nations ratified the Ottawa Convention"],
    "argue": ["argue", "--side", "for", "Europe should reintroduce anti-personnel mines"],
    "rebut": ["rebut", "Non-persistent mines make the humanitarian objection obsolete"],
}
PROBE = ("import runpy, sys; sys.argv = ['debatebot'] + sys.argv[1:]; "
         "import atexit; atexit.register(lambda: print('TORCH' if 'torch' in sys.modules else 'NOTORCH', file=sys.stderr));"
         "from debatebot.interfaces.cli.main import main; sys.exit(main())")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="debatebot-cli-") as tmp:
        env = dict(os.environ, DEBATEBOT_INDEX_DIR=str(Path(tmp) / "index"), HOME=tmp, DEBATEBOT_LLM_BASE_URL="",
                   DEBATEBOT_LLM_API_KEY="")
        subprocess.run([str(EXE), "index"], cwd=ROOT, env=env, check=True, capture_output=True)
        times: dict[str, list[float]] = {k: [] for k in COMMANDS}
        torch_seen: dict[str, bool] = {k: False for k in COMMANDS}
        for _ in range(args.runs):
            for name, argv in COMMANDS.items():
                t0 = time.perf_counter()
                out = subprocess.run([sys.executable, "-c", PROBE, *argv], cwd=ROOT, env=env, capture_output=True,
                                     text=True)
                times[name].append(time.perf_counter() - t0)
                if out.returncode != 0:
                    raise SystemExit(f"{name} failed: {out.stderr[-500:]}")
                torch_seen[name] |= "NOTORCH" not in out.stderr
    base = statistics.median(times["docs"])
    print(f"cold CLI processes on the indexed seed, {args.runs} runs each, interleaved")
    print("| command | median s | max s | / docs | torch imported |")
    print("|---|---|---|---|---|")
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"| {name} | {med:.2f} | {max(ts):.2f} | {med / base:.2f}x | {'yes' if torch_seen[name] else 'no'} |")


if __name__ == "__main__":
    main()
