"""Faults: a killed indexer, a damaged index folder, an unreachable Chroma server."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from debatebot.core.errors import IndexCorruptError, IndexUnavailableError
from debatebot.corpus.library import Library
from tests.conftest import ROOT, make_settings


def _corpus(folder, n=1500):
    folder.mkdir()
    for i in range(n):
        (folder / f"doc{i:04d}.txt").write_text(
            f"Document {i} discusses landmines. " + " ".join(f"Sentence {j} of document {i} mentions treaty {j * i}." for j in range(12)),
            encoding="utf-8")
    return folder


def test_sigkill_mid_index_then_resume(tmp_path):
    import re

    n = 3000
    corpus = _corpus(tmp_path / "corpus", n=n)
    env = dict(os.environ, DEBATEBOT_INDEX_DIR=str(tmp_path / "index"), DEBATEBOT_EMBEDDING_MODEL="hash")
    # the progress bar on stderr tells when the run is half way: kill it there, whatever the machine's speed
    proc = subprocess.Popen([sys.executable, "-m", "debatebot", "index", str(corpus)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    buf = b""
    deadline = time.time() + 300
    while time.time() < deadline:
        chunk = os.read(proc.stderr.fileno(), 4096)
        if not chunk:
            break
        buf += chunk
        done = [int(x) for x in re.findall(rb"(\d+)/%d" % n, buf)]
        if done and done[-1] >= n // 2:
            os.kill(proc.pid, signal.SIGKILL)
            break
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the indexer finished before it could be killed"
    lib = Library(make_settings(tmp_path))
    done = lib.docs()
    assert len(done) < n or any(r.status != "complete" for r in done), "nothing left to resume"
    # the next run completes the index with no duplicates
    p = subprocess.run([sys.executable, "-m", "debatebot", "index", str(corpus), "--json"], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    lib = Library(make_settings(tmp_path))
    recs = lib.docs()
    assert len(recs) == n and all(r.status == "complete" for r in recs)
    ids = lib.store.chunks.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == sum(r.chunks for r in recs)


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
