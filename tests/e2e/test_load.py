"""Load: one app on 127.0.0.1, 20 concurrent gradio_client sessions asking in every mode while a
document is uploaded and indexed through the app.

What is checked:
- no request fails and no answer is an error message;
- every session's conversation holds exactly its own eight turns, in its own order (each session
  asks the modes in a different order, so a turn landing in the wrong session would show), and its
  exported brief lists exactly those turns;
- every answer is identical to the answer a single user got for the same request beforehand
  (questions are restricted to the seed article with the "documents searched" filter, so the upload
  does not change what they may cite). The only difference allowed is the turn number inside the
  citation anchors (`href="#src-<turn>-<n>"`), since a session's turn numbers follow its own order;
  a second single-user pass in another order, after the upload, checks that history and the
  upload do not change these answers either;
- after the run the uploaded document is indexed completely, the seed is untouched, and there are
  no duplicate or missing chunks (no data lost).

Throughput (requests/s) and p95 latency are printed (`pytest -s`) and written to
`<pytest basetemp>/load_metrics.json`; nothing is asserted about their values."""

from __future__ import annotations

import json
import random
import re
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import SEED, make_settings

pytestmark = pytest.mark.slow

SESSIONS = 20
CONCURRENCY = 4  # answers computed at once by the app (serve() uses 1; more is the harder test)
UPLOAD_AFTER = 12  # the upload starts once this many answers have arrived, so it overlaps the load
REQUEST_TIMEOUT = 120.0  # seconds one session may take for all its requests
MOTION = "European NATO members should be prepared to use anti-personnel mines"
# (mode label, text, speaker): every input is long enough that no follow-up resolution applies
REQUESTS = [
    ("Ask", "How many nations ratified the Ottawa Convention on landmines?", ""),
    ("Argue for", "", ""),
    ("Argue against", "", ""),
    ("Rebut", "Mines are obsolete now that drones exist", ""),
    ("Check a claim", "164 nations ratified the Ottawa Convention", ""),
    ("Verify a quote", "The military necessity part of the calculus is frankly terrifying", "Nick Reynolds"),
    ("Balanced summary", "", ""),
    ("Practice debate", "Mines are cheap and slow down an invading army", ""),
]
_ANCHOR = re.compile(r'href="#src-\d+-')
_ERROR = ('class="verdict v-bad">Error', "Something went wrong", "Traceback", "could not be understood")


def _norm(answer: str) -> str:
    return _ANCHOR.sub('href="#src-T-', answer)


def _content(msg) -> str:
    c = msg["content"] if isinstance(msg, dict) else msg
    if isinstance(c, list):
        return "".join(part.get("text", "") for part in c if isinstance(part, dict))
    return str(c)


def _orders(n: int) -> list[list[int]]:
    """n distinct orders of the eight requests (deterministic)."""
    rng = random.Random(20240601)
    out: list[list[int]] = [list(range(len(REQUESTS)))]
    while len(out) < n:
        o = list(range(len(REQUESTS)))
        rng.shuffle(o)
        if o not in out:
            out.append(o)
    return out


def _launch(tmp: Path):
    import socket

    from debatebot.answers.engine import Engine
    from debatebot.corpus.library import Library
    from debatebot.interfaces.web.server import build_app, launch_kwargs

    settings = make_settings(tmp, upload_dir=tmp / "uploads")
    lib = Library(settings)
    lib.index([SEED])
    demo = build_app(lib, Engine(lib))
    demo.queue(default_concurrency_limit=CONCURRENCY)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo.launch(server_name="127.0.0.1", server_port=port, prevent_thread_lock=True, quiet=True,
                **launch_kwargs(settings))
    return demo, f"http://127.0.0.1:{port}/", lib


def _client(url: str):
    from gradio_client import Client

    assert url.startswith("http://127.0.0.1:")
    return Client(url, verbose=False)


def _ask(c, i: int, seed_id: str):
    mode, text, speaker = REQUESTS[i]
    chat, _panel, _box, export = c.predict(text, mode, MOTION, "for", speaker, [seed_id], api_name="/respond")
    return chat, export


def _single_user_pass(url: str, seed_id: str, order: list[int]) -> dict[int, str]:
    c = _client(url)
    out: dict[int, str] = {}
    for i in order:
        chat, _ = _ask(c, i, seed_id)
        last = _content(chat[-1])
        assert not any(e in last for e in _ERROR), (REQUESTS[i], last[:400])
        out[i] = _norm(last)
    return out


def _upload_text() -> str:
    """A long document about an unrelated subject (indexing it takes a moment)."""
    paras = []
    for i in range(400):
        paras.append(
            f"Report {i} on coastal aquaculture. Salmon farms in fjord {i} expanded their pens by {i % 17} percent. "
            f"Researchers measured sea lice counts of {i * 3} per thousand fish in spring. "
            f"Regulators in district {i % 23} proposed rotating fallow periods for the cages.")
    return "\n\n".join(paras)


def test_twenty_sessions_every_mode_during_an_upload(tmp_path, tmp_path_factory):
    from gradio_client import handle_file

    demo, url, lib = _launch(tmp_path)
    try:
        seed_id = next(r.doc_id for r in lib.docs() if r.doc_id.endswith("landmines_ottawa_article.txt"))
        seed_chunks_before = {r.doc_id: (r.chunks, r.sha256) for r in lib.docs()}
        # 1. a single user, beforehand: the reference answers
        baseline = _single_user_pass(url, seed_id, list(range(len(REQUESTS))))

        orders = _orders(SESSIONS)
        results: dict[int, dict] = {}
        errors: list[str] = []
        latencies: list[float] = []
        done_count = [0]
        lock = threading.Lock()
        upload_go = threading.Event()
        upload_out: dict = {}
        start = threading.Barrier(SESSIONS + 1)

        def session(k: int) -> None:
            try:
                c = _client(url)
                start.wait(60)
                answers, chat, export = [], None, None
                for i in orders[k]:
                    t0 = time.perf_counter()
                    chat, export = _ask(c, i, seed_id)
                    dt = time.perf_counter() - t0
                    answers.append((i, _content(chat[-1])))
                    with lock:
                        latencies.append(dt)
                        done_count[0] += 1
                        if done_count[0] >= UPLOAD_AFTER:
                            upload_go.set()
                brief_path = c.predict(api_name="/export")
                results[k] = {"answers": answers, "chat": chat, "export": export,
                              "brief": Path(brief_path).read_text(encoding="utf-8")}
            except Exception as e:  # noqa: BLE001 - recorded, asserted below
                with lock:
                    errors.append(f"session {k}: {type(e).__name__}: {e}")
                upload_go.set()

        upload_file = tmp_path / "aquaculture report.txt"
        upload_file.write_text(_upload_text(), encoding="utf-8")

        def uploader() -> None:
            try:
                upload_go.wait(REQUEST_TIMEOUT)
                c = _client(url)
                upload_out["started_after"] = done_count[0]
                t0 = time.perf_counter()
                upload_out["result"] = c.predict([handle_file(str(upload_file))], api_name="/upload")
                upload_out["seconds"] = time.perf_counter() - t0
                upload_out["finished_after"] = done_count[0]
            except Exception as e:  # noqa: BLE001 - recorded, asserted below
                errors.append(f"upload: {type(e).__name__}: {e}")

        threads = [threading.Thread(target=session, args=(k,), daemon=True) for k in range(SESSIONS)]
        up = threading.Thread(target=uploader, daemon=True)
        for t in threads:
            t.start()
        up.start()
        start.wait(60)
        t_start = time.perf_counter()
        for t in threads:
            t.join(REQUEST_TIMEOUT)
        wall = time.perf_counter() - t_start
        up.join(REQUEST_TIMEOUT)
        assert not any(t.is_alive() for t in threads + [up]), "a session did not finish within the timeout"
        assert not errors, errors

        # 2. every session: no error, only its own turns in its own order, answers as for the single user
        for k in range(SESSIONS):
            r = results[k]
            assert [i for i, _ in r["answers"]] == orders[k]
            for i, ans in r["answers"]:
                assert not any(e in ans for e in _ERROR), (k, REQUESTS[i][0], ans[:400])
                assert _norm(ans) == baseline[i], f"session {k}, {REQUESTS[i][0]}: answer differs from the single user's"
            chat = r["chat"]
            assert len(chat) == 2 * len(REQUESTS), f"session {k} holds {len(chat)} messages"
            assert [m["role"] for m in chat] == ["user", "assistant"] * len(REQUESTS)
            for n, i in enumerate(orders[k]):
                mode, text, _ = REQUESTS[i]
                user = _content(chat[2 * n])
                shown = text or (MOTION if mode.startswith("Argue") else "the sources' main subject")
                assert f"**{mode}**" in user and shown in user, (k, n, user[:200])
                assert _norm(_content(chat[2 * n + 1])) == baseline[i]
                assert f'href="#src-{n + 1}-' in _content(chat[2 * n + 1]) or "[1]" not in baseline[i]
            headings = re.findall(r"(?m)^## (\d+)\. ", r["brief"])
            assert headings == [str(n + 1) for n in range(len(REQUESTS))], (k, headings)

        # 3. the upload landed while answers were being served, and was indexed completely
        assert upload_out["started_after"] < SESSIONS * len(REQUESTS)
        msg = upload_out["result"][1]
        assert "Indexed 1 document" in msg, msg
        recs = {r.doc_id: r for r in lib.docs()}
        assert "uploads/aquaculture report.txt" in recs
        assert all(r.status == "complete" for r in recs.values())
        assert (recs[seed_id].chunks, recs[seed_id].sha256) == seed_chunks_before[seed_id]
        ids = lib.store.chunks.get(include=[])["ids"]
        assert len(ids) == len(set(ids)) == sum(r.chunks for r in recs.values())
        assert lib.documents()["uploads/aquaculture report.txt"].text == upload_file.read_text(encoding="utf-8")

        # 4. a single user after the upload, in reverse order: the same answers
        after = _single_user_pass(url, seed_id, list(reversed(range(len(REQUESTS)))))
        assert after == baseline

        total = SESSIONS * len(REQUESTS)
        lat = sorted(latencies)
        p95 = lat[max(0, round(0.95 * len(lat)) - 1)]
        metrics = {
            "sessions": SESSIONS, "requests": total, "modes": len(REQUESTS), "concurrency_limit": CONCURRENCY,
            "wall_seconds": round(wall, 3), "throughput_rps": round(total / wall, 2),
            "latency_p50_s": round(lat[len(lat) // 2], 3), "latency_p95_s": round(p95, 3),
            "latency_max_s": round(lat[-1], 3), "upload_seconds": round(upload_out["seconds"], 3),
            "upload_started_after_answers": upload_out["started_after"],
            "upload_finished_after_answers": upload_out["finished_after"],
            "errors": 0, "mixed_sessions": 0, "answers_differing_from_single_user": 0,
        }
        out = tmp_path_factory.getbasetemp() / "load_metrics.json"
        out.write_text(json.dumps(metrics, indent=2), encoding="utf-8")
        print(f"\nLOAD {json.dumps(metrics)}\n(written to {out})")
    finally:
        demo.close()
