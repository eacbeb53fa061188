"""Retrieval quality at scale: the seed article alone vs the seed planted among the 840 news
articles. Same requests, compared citation by citation. Also reports indexing time, rate and peak RSS,
then grows the corpus past 5 MB (FRANK news articles and WiCE evidence pages, added incrementally)
and measures quote verification and offline answer latency over it.

    .venv/bin/python benchmarks/plant.py [--eval-root ../shared/eval] [--articles 840]
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from debatebot.core.config import configure  # noqa: E402

configure()  # offline defaults: no telemetry, no hub downloads

MOTION = "European NATO members should be prepared to use anti-personnel mines"
REQUESTS = [
    ("argue", {"side": "for", "motion": MOTION, "text": MOTION}),
    ("argue", {"side": "against", "motion": MOTION, "text": MOTION}),
    ("rebut", {"text": "Non-persistent mines make the humanitarian objection obsolete"}),
    ("check", {"text": "164 nations ratified the Ottawa Convention"}),
    ("quote", {"text": "The military necessity part of the calculus is frankly terrifying", "speaker": "Nick Reynolds"}),
    ("ask", {"text": "How many nations ratified the Ottawa Convention?"}),
]


def answers(engine) -> list[dict]:
    from debatebot.core.models import Mode, Request

    out = []
    for mode, kw in REQUESTS:
        ans = engine.run(Request(mode=Mode(mode), **kw))
        cites = sorted({(q.doc.rsplit("/", 1)[-1], q.start, q.end) for p in ans.points for q in p.quotes})
        out.append({"mode": mode, "args": kw, "verdict": ans.verdict, "citations": cites})
    return out


def _pct(xs, p):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(p / 100 * (len(xs) - 1))))]


def measure_latency(engine, lib, n: int = 40) -> dict:
    """Quote verification and offline answers (every mode) on the whole planted corpus."""
    import random

    from debatebot.core.models import Mode, Request

    rng = random.Random(0)
    docs = lib.documents()
    sents = [(d, s) for d in docs.values() for s in d.sentences if len(d.text[s.start:s.end].split()) > 8]
    picks = rng.sample(sents, n)
    engine.run(Request(mode=Mode.quote, text="warm up the verifier index"))
    rows = {}
    t_quote = []
    for i, (d, s) in enumerate(picks):
        words = d.text[s.start : s.end].split()
        if i % 2:
            words[len(words) // 2] = "banana"  # an altered quotation
        t0 = time.perf_counter()
        engine.run(Request(mode=Mode.quote, text=" ".join(words)))
        t_quote.append((time.perf_counter() - t0) * 1000)
    rows["verify a quote"] = (len(t_quote), statistics.median(t_quote), _pct(t_quote, 95))
    texts = [" ".join(d.text[s.start : s.end].split()[:14]) for d, s in picks]
    modes = [("ask", lambda t: Request(mode=Mode.ask, text=t)),
             ("argue", lambda t: Request(mode=Mode.argue, side="for", motion=t, text=t)),
             ("rebut", lambda t: Request(mode=Mode.rebut, text=t)),
             ("check", lambda t: Request(mode=Mode.check, text=t)),
             ("summary", lambda t: Request(mode=Mode.summary, topic=t, text=t)),
             ("practice", lambda t: Request(mode=Mode.practice, text=t, motion=MOTION, side="for"))]
    for name, make in modes:
        ts = []
        for t in texts[:20]:
            t0 = time.perf_counter()
            engine.run(make(t))
            ts.append((time.perf_counter() - t0) * 1000)
        rows[f"offline {name}"] = (len(ts), statistics.median(ts), _pct(ts, 95))
    return {"rows": rows, "chars": sum(len(d.text) for d in docs.values()), "docs": len(docs)}


def extra_documents(eval_root: Path, dest: Path, need_chars: int) -> int:
    """Write other public texts (FRANK articles, then WiCE evidence pages) until `need_chars`."""
    dest.mkdir()
    seen, total, n = set(), 0, 0
    sources = [(eval_root / "frank" / "articles_valid.jsonl", lambda r: r.get("article", "")),
               (eval_root / "wice" / "claim_dev.jsonl", lambda r: "\n\n".join(r.get("evidence", [])))]
    for path, text_of in sources:
        with open(path, encoding="utf-8") as f:
            for line in f:
                text = text_of(json.loads(line)).strip()
                if total >= need_chars:
                    return total
                if len(text) < 500 or text in seen:
                    continue
                seen.add(text)
                (dest / f"extra_{n:04d}.txt").write_text(text, encoding="utf-8")
                total += len(text)
                n += 1
    return total


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-root", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--articles", type=int, default=840)
    ap.add_argument("--latency-mb", type=float, default=5.0, help="corpus size for the latency part")
    args = ap.parse_args()
    from debatebot.answers.engine import Engine
    from debatebot.core.settings import Settings
    from debatebot.corpus.library import Library

    work = Path(tempfile.mkdtemp(prefix="debatebot-plant-"))
    try:
        alone = work / "alone"
        alone.mkdir()
        shutil.copy(ROOT / "seeds" / "landmines_ottawa_article.txt", alone / "seed.txt")
        big = work / "planted"
        big.mkdir()
        shutil.copy(ROOT / "seeds" / "landmines_ottawa_article.txt", big / "seed.txt")
        with open(Path(args.eval_root) / "news_corpus" / "polnear_train_articles.jsonl", encoding="utf-8") as f:
            for i, line in enumerate(f):
                if i >= args.articles:
                    break
                row = json.loads(line)
                (big / f"news_{i:04d}.txt").write_text(row["text"], encoding="utf-8")
        lib_a = Library(Settings(index_dir=work / "idx_alone"))
        lib_a.index([alone])
        base = answers(Engine(lib_a))
        lib_b = Library(Settings(index_dir=work / "idx_planted"))
        t0 = time.perf_counter()
        rep = lib_b.index([big])
        secs = time.perf_counter() - t0
        eng_b = Engine(lib_b)
        planted = answers(eng_b)
        have = sum(len(d.text) for d in lib_b.documents().values())
        extra_chars = extra_documents(Path(args.eval_root), work / "extra", int(args.latency_mb * 1e6) - have)
        t1 = time.perf_counter()
        lib_b.index([big, work / "extra"])
        extra_secs = time.perf_counter() - t1
        latency = measure_latency(eng_b, lib_b)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"indexed {rep.docs_total} documents / {rep.chunks_total} chunks in {secs:.0f} s "
          f"({rep.tokens_embedded / secs:.0f} tokens/s); peak RSS {peak:.0f} MB")
    print("| request | verdict alone / planted | citations alone | planted | shared | from other articles |")
    print("|---|---|---|---|---|---|")
    same_all = True
    for a, b in zip(base, planted):
        sa, sb = set(map(tuple, a["citations"])), set(map(tuple, b["citations"]))
        other = sum(1 for c in sb if c[0] != "seed.txt")
        same_all &= sa == sb and a["verdict"] == b["verdict"]
        label = a["mode"] + (f" {a['args'].get('side')}" if a["args"].get("side") else "")
        print(f"| {label} | {a['verdict']} / {b['verdict']} | {len(sa)} | {len(sb)} | {len(sa & sb)} | {other} |")
    print("identical answers and citations:", same_all)
    print()
    print(f"added {extra_chars / 1e6:.1f} MB of other texts in {extra_secs:.0f} s (incremental index)")
    print(f"latency over the grown corpus ({latency['chars'] / 1e6:.1f} MB, {latency['docs']} documents):")
    print("| operation | n | p50 ms | p95 ms |")
    print("|---|---|---|---|")
    for name, (n, p50, p95) in latency["rows"].items():
        print(f"| {name} | {n} | {p50:.0f} | {p95:.0f} |")


if __name__ == "__main__":
    main()
