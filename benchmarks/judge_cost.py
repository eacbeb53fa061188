"""What the judge costs: milliseconds per (sentence, motion) pair on onnxruntime, 2 cores.

    .venv/bin/python benchmarks/judge_cost.py [--eval-root ../shared/eval] [--batches 30]

Real news sentences (the corpus) against a motion, in batches of the size an answer judges (60
sentences for argue, 10 for one atomic claim), every pair new (no cache hits); p50 / p95 per batch
and the mean cost per pair. Also the model's load time in a fresh process."""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-root", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--batches", type=int, default=30)
    args = ap.parse_args()
    from debatebot.core.text import SourceDocument
    from debatebot.judge import Judge

    sents = []
    with open(Path(args.eval_root) / "news_corpus" / "polnear_train_articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            art = json.loads(line)
            doc = SourceDocument.from_text(art["doc_id"], art["text"])
            sents += [doc.text[s.start:s.end] for s in doc.sentences if len(doc.text[s.start:s.end].split()) >= 6]
            if len(sents) > 60 * args.batches * 2:
                break
    out = subprocess.run([sys.executable, "-c", "import time; t=time.perf_counter(); from debatebot.judge import "
                          "get_judge; get_judge().nli(['a'], ['b']); print(time.perf_counter()-t)"],
                         capture_output=True, text=True, cwd=ROOT)
    load = float(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else float("nan")
    judge = Judge()
    judge.nli(["warm up"], ["warm up"])
    print(f"judge load in a fresh process (imports included): {load:.2f} s; file {judge.info.path.name}, "
          f"{judge.info.path.stat().st_size / 1e6:.1f} MB, {judge.info.manifest.get('quantization')}")
    print("| batch | batches | p50 ms | p95 ms | ms per pair |")
    print("|---|---|---|---|---|")
    pos = 0
    for size, motion in ((60, "The government should raise taxes on the rich"), (10, "The senator voted for the bill")):
        times = []
        for _ in range(args.batches):
            batch = sents[pos:pos + size]
            pos += size
            t = time.perf_counter()
            judge.stance(batch, motion)
            times.append((time.perf_counter() - t) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"| {size} pairs | {len(times)} | {statistics.median(times):.0f} | {p95:.0f} | "
              f"{statistics.mean(times) / size:.2f} |")


if __name__ == "__main__":
    main()
