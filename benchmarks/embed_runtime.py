"""The embedding model on onnxruntime (int8, the default) against the same model on torch.

    .venv/bin/python benchmarks/embed_runtime.py [--articles 840] [--repeat 2]

Both embed the same sentences of the news corpus (debatebot's sentence splitter), each runtime in a
fresh process (so peak RSS is its own), alternating ONNX / torch `--repeat` times; the table gives
median sentences/s, the ratio, and peak RSS. The vectors are then compared: cosine per sentence
(mean / min) and, for 200 query sentences, the overlap of their 5 nearest neighbours among all.
The torch side needs the `bench` extra (make install-bench)."""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def sentences(eval_root: Path, n_articles: int) -> list[str]:
    from debatebot.core.text import SourceDocument

    out = []
    with open(eval_root / "news_corpus" / "polnear_train_articles.jsonl", encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= n_articles:
                break
            art = json.loads(line)
            doc = SourceDocument.from_text(art["doc_id"], art["text"])
            out.extend(doc.text[s.start:s.end] for s in doc.sentences)
    return out


def child(spec: str, texts_path: str, out_path: str) -> None:
    from debatebot.corpus.embeddings import get_embedder

    texts = json.loads(Path(texts_path).read_text())
    t0 = time.perf_counter()
    emb = get_embedder(spec)
    load = time.perf_counter() - t0
    emb.embed(texts[:64])  # warm-up
    t0 = time.perf_counter()
    vecs = emb.embed(texts)
    secs = time.perf_counter() - t0
    np.save(out_path, vecs)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"load": load, "seconds": secs, "rss_mb": rss, "torch": "torch" in sys.modules}))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-root", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--articles", type=int, default=840)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    texts = sentences(Path(args.eval_root), args.articles)
    with tempfile.TemporaryDirectory(prefix="debatebot-embed-") as tmp:
        tp = Path(tmp) / "texts.json"
        tp.write_text(json.dumps(texts))
        runs: dict[str, list[dict]] = {"all-MiniLM-L6-v2": [], "all-MiniLM-L6-v2-torch": []}
        for _ in range(args.repeat):
            for spec in runs:
                out = Path(tmp) / f"{spec}.npy"
                res = subprocess.run([sys.executable, __file__, "--child", spec, str(tp), str(out)],
                                     capture_output=True, text=True, env=dict(os.environ, HF_HUB_OFFLINE="1"))
                if res.returncode != 0:
                    raise SystemExit(res.stderr[-1500:])
                runs[spec].append(json.loads(res.stdout.strip().splitlines()[-1]))
        a = np.load(Path(tmp) / "all-MiniLM-L6-v2.npy")
        b = np.load(Path(tmp) / "all-MiniLM-L6-v2-torch.npy")
    n = len(texts)
    print(f"{n} sentences of {args.articles} news articles, {sum(len(t) for t in texts) / 1e6:.1f} M characters; "
          f"{args.repeat} alternating runs per runtime (median)")
    print("| runtime | load s | embed s | sentences/s | peak RSS MB | torch imported |")
    print("|---|---|---|---|---|---|")
    rate = {}
    for spec, rs in runs.items():
        secs = statistics.median(r["seconds"] for r in rs)
        rate[spec] = n / secs
        print(f"| {'onnxruntime int8' if spec == 'all-MiniLM-L6-v2' else 'torch fp32 (sentence-transformers)'} | "
              f"{statistics.median(r['load'] for r in rs):.1f} | {secs:.1f} | {n / secs:.0f} | "
              f"{statistics.median(r['rss_mb'] for r in rs):.0f} | {'yes' if rs[0]['torch'] else 'no'} |")
    print(f"onnx / torch throughput: {rate['all-MiniLM-L6-v2'] / rate['all-MiniLM-L6-v2-torch']:.2f}x")
    cos = (a * b).sum(1)
    rng = np.random.default_rng(0)
    q = rng.choice(n, size=min(200, n), replace=False)
    overlap = []
    for i in q:
        na = set(np.argsort(-(a @ a[i]))[1:6])
        nb = set(np.argsort(-(b @ b[i]))[1:6])
        overlap.append(len(na & nb) / 5)
    print(f"cosine onnx vs torch: mean {cos.mean():.4f}, min {cos.min():.4f}; "
          f"top-5 neighbour overlap {np.mean(overlap):.3f} (200 queries)")


if __name__ == "__main__":
    main()
