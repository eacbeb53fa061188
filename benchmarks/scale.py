"""Retrieval latency at 1k / 10k / 100k chunks, embedded and server Chroma, side by side in one run.

    .venv/bin/python benchmarks/scale.py [--sizes 1000,10000,100000] [--server] [--queries 200]

Chunks are synthesised from the 840-article news corpus: each is a window of 2-3 consecutive
sentences, stored as debatebot stores them (a vector per sentence, searched by the dense side, and
the chunk's vector as their length-weighted mean). Up to --real chunks have real MiniLM sentence
embeddings; beyond that (to stay within minutes on a 2-core machine) a chunk is the concatenation
of two real windows and each of its sentence vectors the normalised mean of two real sentence
vectors, which keeps the vector distribution realistic for HNSW without duplicates. Queries are
real sentences embedded at query time (query embedding included in the latency)."""

from __future__ import annotations

import argparse
import json
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
from debatebot.core.config import configure  # noqa: E402

configure()  # offline defaults: no telemetry, no hub downloads


def pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def windows(eval_root: Path, limit: int) -> list[list[str]]:
    """Windows of 2-3 consecutive sentences (as lists of sentence texts)."""
    from debatebot.core.text import SourceDocument

    out = []
    with open(eval_root / "news_corpus" / "polnear_train_articles.jsonl", encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            d = SourceDocument.from_text(row["doc_id"], row["text"])
            s = d.sentences
            for i in range(0, len(s) - 1, 2):
                out.append([d.text[x.start : x.end] for x in s[i : i + 3]])
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


def fill(lib, chunks: list[list[str]], svecs: list[np.ndarray]) -> None:
    """Write chunks (lists of sentences) with one vector per sentence, as the indexer does."""
    from debatebot.corpus.indexer import expected_manifest, mean_vectors

    store = lib.store
    store.write_manifest(expected_manifest(lib.settings, lib.embedder), bump=False)
    step = 5000
    sid = 0
    for a in range(0, len(chunks), step):
        ids, texts, metas, s_ids, s_metas, s_vecs, rows, weights = [], [], [], [], [], [], [], []
        for i in range(a, min(a + step, len(chunks))):
            doc = f"synthetic/{i // 20:05d}.txt"
            if i % 20 == 0:
                sid = 0
            members = []
            for text, v in zip(chunks[i], svecs[i]):
                members.append(len(s_ids))
                s_ids.append(f"s{i:07d}_{sid}")
                s_metas.append({"doc": doc, "sentence": sid, "chunks": f"c{i:07d}"})
                s_vecs.append(v)
                weights.append(len(text))
                sid += 1
            text = " ".join(chunks[i])
            ids.append(f"c{i:07d}")
            texts.append(text)
            rows.append(members)
            metas.append({"doc": doc, "title": "synthetic", "start": 0, "end": len(text), "paragraph": 0,
                          "paragraph_end": 0, "sentence_ids": ",".join(str(s_metas[m]["sentence"]) for m in members),
                          "tokens": 0})
        sv = np.stack(s_vecs).astype(np.float32)
        store.add_sentences(s_ids, sv, s_metas)
        store.add_chunks(ids, mean_vectors(sv, rows, weights), texts, metas)
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
    from debatebot.core.settings import Settings
    from debatebot.corpus.embeddings import get_embedder
    from debatebot.corpus.library import Library

    emb = get_embedder("all-MiniLM-L6-v2")
    base = windows(Path(args.eval_root), args.real)
    flat = [t for w in base for t in w]
    t0 = time.perf_counter()
    flat_vecs = emb.embed(flat)
    print(f"embedded {len(flat)} real sentences ({len(base)} chunks) in {time.perf_counter() - t0:.0f}s", file=sys.stderr)
    base_vecs, k = [], 0
    for w in base:
        base_vecs.append(flat_vecs[k : k + len(w)])
        k += len(w)
    rng = random.Random(0)
    chunks, svecs = list(base), list(base_vecs)
    while len(chunks) < max(sizes):
        i, j = rng.randrange(len(base)), rng.randrange(len(base))
        mixed = []
        for v in np.concatenate([base_vecs[i], base_vecs[j]]):
            m = v + flat_vecs[rng.randrange(len(flat))]
            mixed.append(m / np.linalg.norm(m))
        chunks.append(base[i] + base[j])
        svecs.append(np.stack(mixed).astype(np.float32))
    queries = [w[0][:200] for w in rng.sample(base, args.queries)]
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
                fill(lib, chunks[:n], svecs[:n])
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
