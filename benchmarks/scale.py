"""Retrieval latency at 1k / 10k / 100k chunks, embedded and server Chroma, side by side in one run.

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000,100000] [--server] [--queries 200]

Chunks are synthesised from the 840-article news corpus: each is a window of 2-3 consecutive
sentences. Up to --real chunks get real MiniLM embeddings; beyond that (to stay within minutes on a
2-core machine), a chunk's vector is the normalised mean of two real chunk vectors (its text is
the concatenation of theirs), which keeps the vector distribution realistic for HNSW. Queries are
real sentences embedded at query time (query embedding included in the latency)."""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def windows(eval_root: Path, limit: int) -> list[str]:
    from debatebot.text import SourceDocument

    out = []
    with open(eval_root / "news_corpus" / "polnear_train_articles.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            d = SourceDocument.from_text(row["doc_id"], row["text"])
            s = d.sentences
            for i in range(0, len(s) - 1, 2):
                out.append(d.text[s[i].start : s[min(len(s) - 1, i + 2)].end])
                if len(out) >= limit:
                    return out
    return out


def start_server(data: Path) -> tuple[subprocess.Popen, str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).parent / "chroma"
    proc = subprocess.Popen([str(exe), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1)
            return proc, url
        except Exception:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("chroma server did not start")


def fill(lib, texts: list[str], vecs: np.ndarray) -> None:
    from debatebot.indexer import expected_manifest

    store = lib.store
    store.write_manifest(expected_manifest(lib.settings, lib.embedder), bump=False)
    ids = [f"c{i:07d}" for i in range(len(texts))]
    metas = [{"doc": f"synthetic/{i // 20:05d}.txt", "title": "synthetic", "start": 0, "end": len(t), "paragraph": 0,
              "paragraph_end": 0, "sentence_ids": "0", "tokens": 0} for i, t in enumerate(texts)]
    step = 5000
    for a in range(0, len(ids), step):
        store.add_chunks(ids[a : a + step], vecs[a : a + step], texts[a : a + step], metas[a : a + step])
    store.write_manifest(expected_manifest(lib.settings, lib.embedder), bump=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-root", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--real", type=int, default=12000, help="chunks embedded for real")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--server", action="store_true", help="also measure against a Chroma server on 127.0.0.1")
    args = ap.parse_args()
    sizes = [int(x) for x in args.sizes.split(",")]
    from debatebot.embeddings import get_embedder
    from debatebot.library import Library
    from debatebot.settings import Settings

    emb = get_embedder("all-MiniLM-L6-v2")
    base = windows(Path(args.eval_root), args.real)
    t0 = time.perf_counter()
    base_vecs = emb.embed(base)
    print(f"embedded {len(base)} real chunks in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    rng = random.Random(0)
    texts, vecs = list(base), [v for v in base_vecs]
    while len(texts) < max(sizes):
        i, j = rng.randrange(len(base)), rng.randrange(len(base))
        v = base_vecs[i] + base_vecs[j]
        texts.append(base[i] + " " + base[j])
        vecs.append(v / np.linalg.norm(v))
    vecs = np.stack(vecs).astype(np.float32)
    queries = [t.split(". ")[0][:200] for t in rng.sample(base, args.queries)]
    work = Path(tempfile.mkdtemp(prefix="debatebot-scale-"))
    rows = []
    server = None
    try:
        modes = ["embedded"] + (["server"] if args.server else [])
        if args.server:
            server = start_server(work / "server-data")
        for mode in modes:
            for n in sizes:
                kw = {"index_dir": work / f"idx_{mode}_{n}", "collection": f"scale{n}"}
                if mode == "server":
                    kw["chroma_url"] = server[1]
                lib = Library(Settings(**kw))
                t0 = time.perf_counter()
                fill(lib, texts[:n], vecs[:n])
                load_s = time.perf_counter() - t0
                t0 = time.perf_counter()
                lib.search("warm up")  # builds BM25 from the collection
                bm25_s = time.perf_counter() - t0
                lat = []
                for q in queries:
                    t0 = time.perf_counter()
                    lib.search(q)
                    lat.append((time.perf_counter() - t0) * 1000)
                row = {"mode": mode, "chunks": n, "write_s": round(load_s, 1), "bm25_build_s": round(bm25_s, 1),
                       "p50_ms": round(statistics.median(lat), 1), "p95_ms": round(pct(lat, 95), 1)}
                rows.append(row)
                print(json.dumps(row), flush=True)
    finally:
        if server:
            server[0].terminate()
        shutil.rmtree(work, ignore_errors=True)
    print("\n| store | chunks | search p50 ms | search p95 ms | first search (BM25 build) s |")
    print("|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['mode']} | {r['chunks']:,} | {r['p50_ms']} | {r['p95_ms']} | {r['bm25_build_s']} |")
    out = ROOT / "benchmarks" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "scale.json").write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
