"""Shared fixtures. Tests never touch the real home directory, the network or the environment:
every test gets a temporary HOME and index folder and a clean set of DEBATEBOT_* variables."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from debatebot.core.config import configure
from tests.fake_openai import fake_openai  # noqa: E402,F401  (the loopback OpenAI-compatible server)

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "landmines_ottawa_article.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"

# the offline environment (no telemetry, no hub downloads), from its one definition; whatever the caller set
configure(override=True)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    for key in list(os.environ):
        if key.startswith("DEBATEBOT_") or key == "OPENAI_API_KEY":
            monkeypatch.delenv(key, raising=False)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("DEBATEBOT_INDEX_DIR", str(tmp_path / "index"))
    from debatebot.core.settings import get_settings

    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def seed_doc(seed_text):
    from debatebot.core.text import SourceDocument

    return SourceDocument.from_text("seeds/landmines_ottawa_article.txt", seed_text)


def make_settings(tmp_path: Path, **kw):
    from debatebot.core.settings import Settings

    kw.setdefault("index_dir", tmp_path / "index")
    kw.setdefault("embedding_model", "hash")
    return Settings(**kw)


@pytest.fixture
def hash_library(tmp_path):
    """A Library with the fast hashing embedder in a temporary index (no model load)."""
    from debatebot.corpus.library import Library

    return Library(make_settings(tmp_path))


@pytest.fixture(scope="session")
def minilm():
    from debatebot.corpus.embeddings import get_embedder

    return get_embedder("all-MiniLM-L6-v2")


# ---- Chroma server (server-mode store tests) -------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_chroma_server(data: Path) -> tuple[subprocess.Popen, str, int]:
    """Start a real `chroma run` on 127.0.0.1 (free port) over `data`; returns (process, url, port)."""
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        pytest.skip("chroma CLI not installed")
    import urllib.request

    port = _free_port()
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False", CHROMA_TELEMETRY_IMPL="none")
    proc = subprocess.Popen([str(exe), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, env=env)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/api/v2/heartbeat", timeout=1).read()
            return proc, url, port
        except Exception:
            if proc.poll() is not None:
                pytest.fail("chroma server exited at start")
            time.sleep(0.3)
    proc.kill()
    pytest.fail("chroma server did not start in 60 s")


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory):
    """A real `chroma run` server on 127.0.0.1 with a temporary data path, for the session."""
    data = tmp_path_factory.mktemp("chroma-server")
    proc, url, port = start_chroma_server(data)
    yield {"url": url, "port": port, "data": data, "proc": proc}
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
    shutil.rmtree(data, ignore_errors=True)


@pytest.fixture(params=["embedded", "server"])
def store_settings(request, tmp_path):
    """Settings for the same store suite against the embedded and the server Chroma."""
    import uuid

    if request.param == "server":
        server = request.getfixturevalue("chroma_server")
        return make_settings(tmp_path, chroma_url=server["url"], collection=f"t{uuid.uuid4().hex[:10]}")
    return make_settings(tmp_path)
