"""Faults: a killed indexer, a damaged index folder, an unreachable Chroma server."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from debatebot.errors import IndexCorruptError, IndexUnavailableError
from debatebot.library import Library
from tests.conftest import ROOT, make_settings


def _corpus(folder, n=1500):
    folder.mkdir()
    for i in range(n):
        (folder / f"doc{i:04d}.txt").write_text(
            f"Document {i} discusses landmines. " + " ".join(f"Sentence {j} of document {i} mentions treaty {j * i}." for j in range(12)),
            encoding="utf-8")
    return folder


def test_sigkill_mid_index_then_resume(tmp_path):
    corpus = _corpus(tmp_path / "corpus")
    env = dict(os.environ, DEBATEBOT_INDEX_DIR=str(tmp_path / "index"), DEBATEBOT_EMBEDDING_MODEL="hash")
    cmd = [sys.executable, "-m", "debatebot", "index", str(corpus), "--json"]
    killed_mid_run = False
    for delay in (4.0, 6.0, 9.0):
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(delay)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            lib = Library(make_settings(tmp_path))
            done = lib.docs()
            if 0 < len(done) < 1500 or any(r.status != "complete" for r in done):
                killed_mid_run = True
                break
        else:
            proc.wait()
    # whatever the kill left, the next run completes the index with no duplicates
    p = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    lib = Library(make_settings(tmp_path))
    recs = lib.docs()
    assert len(recs) == 1500 and all(r.status == "complete" for r in recs)
    ids = lib.store.chunks.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == sum(r.chunks for r in recs)
    assert killed_mid_run, "the indexer finished before it could be killed; the resume path was not exercised"


def test_damaged_index_folder(tmp_path):
    corpus = _corpus(tmp_path / "corpus", n=3)
    lib = Library(make_settings(tmp_path))
    lib.index([corpus])
    db = tmp_path / "index" / "chroma.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(IndexCorruptError) as err:
        Library(make_settings(tmp_path)).search("landmines")
    assert "rebuild" in err.value.user_message()
    rep = Library(make_settings(tmp_path)).index([corpus], rebuild=True)
    assert len(rep.added) == 3
    assert list(tmp_path.glob("index.damaged-*")), "the damaged folder is kept aside, not deleted"


def test_unreachable_chroma_server(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    t0 = time.time()
    with pytest.raises(IndexUnavailableError) as err:
        Library(make_settings(tmp_path, chroma_url=f"http://127.0.0.1:{port}")).docs()
    assert "Chroma server" in str(err.value) and time.time() - t0 < 30
