"""Issue 17, items 3 and 9: a Chroma server that hangs (SIGSTOP) or dies (SIGKILL) under the app.

Every store request has a deadline (DEBATEBOT_CHROMA_TIMEOUT): a hung server gives a clear error in
seconds, not a question that never returns, and the next request works once the server is back.
A server that dies mid-upload gives a readable message, not "error: None", and the documents table
says the list is unavailable instead of "No documents indexed yet". A real `chroma run` server is
started for each test here (it is stopped and killed, so it cannot be the shared session server)."""

from __future__ import annotations

import os
import signal
import subprocess
import time
import uuid

import pytest

from debatebot.core.errors import IndexUnavailableError
from tests.conftest import SEED, make_settings, start_chroma_server

pytestmark = pytest.mark.slow


@pytest.fixture
def chroma(tmp_path):
    proc, url, _port = start_chroma_server(tmp_path / "chroma")
    yield {"url": url, "proc": proc}
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGCONT)
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _library(tmp_path, url, **kw):
    from debatebot.corpus.library import Library

    return Library(make_settings(tmp_path, chroma_url=url, collection=f"t{uuid.uuid4().hex[:10]}",
                                 chroma_timeout=2.0, **kw))


def test_a_hung_chroma_server_gives_a_clear_error_and_recovers(chroma, tmp_path):
    lib = _library(tmp_path, chroma["url"])
    lib.index([SEED])
    assert lib.search("How many nations ratified the Ottawa Convention?")
    os.kill(chroma["proc"].pid, signal.SIGSTOP)
    try:
        time.sleep(1.1)  # past the one-second generation cache: the next search must ask the server
        t0 = time.perf_counter()
        with pytest.raises(IndexUnavailableError, match="did not answer within 2 s"):
            lib.search("Who ratified the Ottawa Convention?")
        assert time.perf_counter() - t0 < 8
        t0 = time.perf_counter()
        with pytest.raises(IndexUnavailableError, match="did not answer within 2 s"):
            _library(tmp_path, chroma["url"]).store  # noqa: B018 - the property connects; a new connection too (the client's constructor)
        assert time.perf_counter() - t0 < 8
    finally:
        os.kill(chroma["proc"].pid, signal.SIGCONT)
    assert lib.search("Who ratified the Ottawa Convention?")  # recovered, same Library, no restart


def test_the_app_answers_a_hung_server_with_an_error_in_seconds(chroma, tmp_path):
    from debatebot.answers.engine import Engine
    from debatebot.interfaces.web.server import UI
    from debatebot.interfaces.web.session import Session
    from tests.e2e.test_app import MOTION, ScriptedBackend

    lib = _library(tmp_path, chroma["url"])
    lib.index([SEED])
    ui = UI(lib, Engine(lib, primary=ScriptedBackend(lib)))
    os.kill(chroma["proc"].pid, signal.SIGSTOP)
    try:
        time.sleep(1.1)
        t0 = time.perf_counter()
        outs = list(ui.respond(Session(), "Who ratified the Ottawa Convention?", "Ask", MOTION, "for", "", []))
        assert time.perf_counter() - t0 < 10
        last = outs[-1][0][-1]["content"]
        assert "Error" in last and "did not answer within 2 s" in last
    finally:
        os.kill(chroma["proc"].pid, signal.SIGCONT)


def test_chroma_dying_mid_upload_gives_a_readable_message(chroma, tmp_path):
    from debatebot.interfaces.web.server import UI

    lib = _library(tmp_path, chroma["url"], upload_dir=tmp_path / "uploads")
    lib.index([SEED])
    ui = UI(lib, None)
    f = tmp_path / "notes.txt"
    f.write_text("Demining teams cleared the border fields in 2023.\n", encoding="utf-8")
    chroma["proc"].kill()
    chroma["proc"].wait(10)
    out = ui.upload([str(f)], progress=lambda *a, **k: None)
    msg, table, status = out[1], out[2], out[5]
    assert "None" not in msg and "Not indexed" in msg and "Chroma server" in msg
    assert "No documents indexed yet" not in table and "not available" in table
    assert "not available" in status
    assert not any((tmp_path / "uploads").iterdir())  # the failed upload left no file behind
