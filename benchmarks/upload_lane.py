"""Questions while a document indexes: answer latency through the app, quiet vs during a 1 MB upload.

    .venv/bin/python benchmarks/upload_lane.py [--eval-root ../shared/eval] [--mb 1.0] [--rounds 2]

The app (offline engine, the packaged embedder and judge) runs on 127.0.0.1 with the seed article
indexed. One gradio client asks questions restricted to the seed (Ask, Check a claim, Argue for,
each text once per pass, every cache cleared before a pass) first on a quiet app, then while a
second client uploads a 1 MB text made of news-corpus articles through the Documents tab. The two
passes alternate `--rounds` times in one run (the machine is shared: compare side by side).
Reported: p50 / p95 / max of each pass, and how long the upload took."""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SEED = ROOT / "seeds" / "landmines_ottawa_article.txt"
QUESTIONS = [  # (mode label, text): distinct texts, each asked once per pass
    ("Check a claim", "164 nations ratified the Ottawa Convention"),
    ("Ask", "What did Finland announce in December?"),
    ("Check a claim", "Finland shares an 800-mile border with Russia"),
    ("Argue for", ""),
    ("Ask", "Who supplied Ukraine with non-persistent landmines?"),
    ("Check a claim", "The UK plans to leave the Ottawa treaty"),
    ("Ask", "What do campaigners say about drones and mines?"),
    ("Check a claim", "Non-persistent mines deactivate after two weeks"),
]
MOTION = "European NATO members should be prepared to use anti-personnel mines"


def upload_text(eval_root: Path, mb: float) -> str:
    parts, size = [], 0
    with open(eval_root / "news_corpus" / "polnear_train_articles.jsonl", encoding="utf-8") as fh:
        for line in fh:
            t = json.loads(line)["text"]
            parts.append(t)
            size += len(t.encode("utf-8")) + 2
            if size >= mb * 1e6:
                break
    return "\n\n".join(parts)


def clear_caches(engine) -> None:
    """The judge's scores and the offline engine's memoised vectors, so each pass pays for its answers."""
    from debatebot.judge import get_judge

    get_judge().clear()
    engine.fallback.embedder.clear()


def ask_pass(url: str, seed_id: str, stop: threading.Event | None = None) -> list[float]:
    from gradio_client import Client

    c = Client(url, verbose=False)
    out = []
    for mode, text in QUESTIONS:
        t0 = time.perf_counter()
        c.predict(text, mode, MOTION, "for", "", [seed_id], api_name="/respond")
        out.append(time.perf_counter() - t0)
        if stop is not None and stop.is_set():
            break
    return out


def summary(xs: list[float]) -> dict:
    xs = sorted(xs)
    p95 = xs[max(0, round(0.95 * len(xs)) - 1)] if xs else 0.0
    return {"n": len(xs), "p50_ms": round(1000 * statistics.median(xs)) if xs else None,
            "p95_ms": round(1000 * p95), "max_ms": round(1000 * xs[-1]) if xs else None}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-root", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--rounds", type=int, default=2)
    args = ap.parse_args()
    from gradio_client import Client, handle_file

    from debatebot.answers.engine import Engine
    from debatebot.core.settings import Settings
    from debatebot.corpus.library import Library
    from debatebot.interfaces.web.server import build_app, launch_kwargs

    text = upload_text(Path(args.eval_root), args.mb)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        settings = Settings(index_dir=tmp / "index", upload_dir=tmp / "uploads")
        lib = Library(settings)
        lib.index([SEED])
        seed_id = next(r.doc_id for r in lib.docs())
        engine = Engine(lib)
        demo = build_app(lib, engine)
        demo.queue(default_concurrency_limit=settings.web.answer_concurrency)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                    **launch_kwargs(settings))
        url = f"http://127.0.0.1:{port}/"
        try:
            ask_pass(url, seed_id)  # warm-up: models loaded, first-request costs paid
            quiet: list[float] = []
            during: list[float] = []
            uploads: list[float] = []
            for r in range(args.rounds):
                clear_caches(engine)
                quiet += ask_pass(url, seed_id)
                clear_caches(engine)
                f = tmp / f"news upload {r}.txt"
                f.write_text(text, encoding="utf-8")
                done = threading.Event()
                res: dict = {}

                # the thread is joined within this iteration, so it sees this iteration's f, res and done
                def upload() -> None:
                    t0 = time.perf_counter()
                    res["msg"] = Client(url, verbose=False).predict([handle_file(str(f))], api_name="/upload")[1]  # noqa: B023
                    res["s"] = time.perf_counter() - t0  # noqa: B023
                    done.set()  # noqa: B023

                th = threading.Thread(target=upload, daemon=True)
                th.start()
                time.sleep(1.0)  # the upload is being read and indexed
                while not done.is_set():
                    clear_caches(engine)
                    xs = ask_pass(url, seed_id, stop=done)
                    during += xs if not done.is_set() else xs[:-1]  # only questions answered during indexing
                th.join()
                uploads.append(res["s"])
                assert "Indexed 1 document" in res["msg"], res["msg"]
                lib.remove(f"uploads/{f.name}")
            report = {"upload_mb": round(len(text.encode("utf-8")) / 1e6, 2), "rounds": args.rounds,
                      "upload_seconds": [round(x, 1) for x in uploads],
                      "quiet": summary(quiet), "during_upload": summary(during)}
            print(json.dumps(report, indent=2))
        finally:
            demo.close()


if __name__ == "__main__":
    main()
