"""The sentence collection's HNSW settings against Chroma's defaults, side by side in one run.

    .venv/bin/python benchmarks/sentence_graph.py [--articles 400] [--size 150000] [--queries 200]

Sentence vectors are real MiniLM embeddings of the sentences of the first --articles news articles;
beyond those, up to --size vectors, each is the normalised mean of two real sentence vectors (as in
benchmarks/scale.py: a realistic distribution without duplicates, in minutes on 2 cores). Queries
are real sentences of later articles, not in the collection. For each configuration: write time (wall
and CPU, in debatebot's write batches) and, for the 80 sentences a dense search asks for, recall
against exact cosine search and query latency."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from debatebot.core.config import configure  # noqa: E402

configure()  # offline defaults: no telemetry, no hub downloads


def sentences_of(rows: list[dict]) -> list[str]:
    from debatebot.corpus.ingest import load_text

    out = []
    for i, row in enumerate(rows):
        doc = load_text(f"article-{i}", row["text"])
        out += [doc.text[s.start : s.end] for s in doc.sentences]
    return out


def measure(name: str, config: dict, vecs: np.ndarray, queries: np.ndarray, exact: np.ndarray, k: int) -> dict:
    import chromadb
    from chromadb.config import Settings as CS

    with tempfile.TemporaryDirectory() as tmp:
        client = chromadb.PersistentClient(path=tmp, settings=CS(anonymized_telemetry=False))
        col = client.get_or_create_collection("bench_sentences", embedding_function=None,
                                              configuration={"hnsw": config})
        t0, c0 = time.perf_counter(), os.times()
        for a in range(0, len(vecs), 2600):  # about one indexing batch of sentences per write
            ids = [f"s{i}" for i in range(a, min(len(vecs), a + 2600))]
            col.upsert(ids=ids, embeddings=vecs[a : a + len(ids)],
                       metadatas=[{"doc": f"d{i // 35}", "chunks": f"c{i // 5}"} for i in range(a, a + len(ids))])
        c1 = os.times()
        write_s, write_cpu = time.perf_counter() - t0, c1.user - c0.user + c1.system - c0.system
        lat, rec = [], []
        for rep in range(2):  # the first pass loads the graph and warms caches; the second is timed
            for q, ex in zip(queries, exact):
                t0 = time.perf_counter()
                got = col.query(query_embeddings=q.reshape(1, -1), n_results=k, include=["metadatas"])
                if rep:
                    lat.append((time.perf_counter() - t0) * 1000)
                    rec.append(len({int(i[1:]) for i in got["ids"][0]} & set(ex.tolist())) / k)
        lat.sort()
        return {"graph": name, "vectors": len(vecs), "write_s": round(write_s, 1), "write_cpu_s": round(write_cpu, 1),
                f"recall@{k}": round(float(np.mean(rec)), 4), "query_p50_ms": round(lat[len(lat) // 2], 2),
                "query_p95_ms": round(lat[int(0.95 * (len(lat) - 1))], 2)}


def main() -> None:
    from debatebot.corpus.embeddings import get_embedder
    from debatebot.corpus.store import SENTENCE_HNSW

    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-root", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--articles", type=int, default=400)
    ap.add_argument("--size", type=int, default=150_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--k", type=int, default=80, help="sentences a dense search asks for (2 x candidates)")
    args = ap.parse_args()

    src = Path(args.eval_root) / "news_corpus" / "polnear_train_articles.jsonl"
    with open(src, encoding="utf-8") as f:
        rows = [json.loads(line) for line in f]
    emb = get_embedder("all-MiniLM-L6-v2")
    t0 = time.perf_counter()
    real = emb.embed(sentences_of(rows[: args.articles]))
    qtexts = [s for s in sentences_of(rows[args.articles : args.articles + 100]) if len(s) > 40][: args.queries]
    queries = emb.embed(qtexts)
    print(f"embedded {len(real)} sentences and {len(queries)} queries in {time.perf_counter() - t0:.0f}s", flush=True)
    rng = np.random.default_rng(0)
    extra = max(0, args.size - len(real))
    a, b = rng.integers(0, len(real), extra), rng.integers(0, len(real), extra)
    mixed = real[a] + real[b]
    mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
    vecs = np.concatenate([real, mixed]).astype(np.float32)
    exact = np.argsort(-(queries @ vecs.T), axis=1)[:, : args.k]

    rows_out = [measure("Chroma defaults", {"space": "cosine"}, vecs, queries, exact, args.k),
                measure("debatebot (" + ", ".join(f"{k} {v}" for k, v in SENTENCE_HNSW.items() if k != "space") + ")",
                        dict(SENTENCE_HNSW), vecs, queries, exact, args.k)]
    cols = list(rows_out[0])
    print("| " + " | ".join(cols) + " |")
    print("|" + "---|" * len(cols))
    for r in rows_out:
        print("| " + " | ".join(str(r[c]) for c in cols) + " |")


if __name__ == "__main__":
    main()
