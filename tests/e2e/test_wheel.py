"""The wheel is self-contained: built from the repository, installed into an empty folder and run
from another directory (the source tree not on the path), it indexes its packaged seed and answers
through an LLM with its packaged prompts."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.fake_openai import Reply

ROOT = Path(__file__).resolve().parents[2]
PASSAGE = re.compile(r'<passage id="(P\d+)"[^>]*>\n(.*?)\n</passage>', re.S)
SKIP = {".venv", ".git", "index", "build", "benchmarks", "training", "tests", ".pytest_cache", "__pycache__"}

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The wheel, built from a copy of the repository and installed into an empty target folder."""
    work = tmp_path_factory.mktemp("wheel")
    src = work / "src"
    shutil.copytree(ROOT, src, symlinks=True,
                    ignore=lambda d, names: [n for n in names if n in SKIP or n.endswith(".egg-info")])
    dist = work / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
                    "-w", str(dist), str(src)], check=True, capture_output=True, text=True, timeout=600)
    wheel = next(dist.glob("debatebot-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("debatebot/py.typed", "debatebot/answers/prompts/system.md", "debatebot/seeds/",
                   "debatebot/judge/weights/judge.onnx", "debatebot/core/assets/minilm-tokenizer.json",
                   "debatebot/corpus/weights/minilm-l6-int8.onnx", "debatebot/corpus/weights/manifest.json",
                   "debatebot/interfaces/web/static/app.css"):
        assert any(n.startswith(needed) for n in names), f"{needed} is not in the wheel"
    target = work / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "-q", "--target", str(target),
                    str(wheel)], check=True, capture_output=True, text=True, timeout=600)
    return target


def run(target: Path, cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("DEBATEBOT_")}
    full_env.update(PYTHONPATH=str(target), **env)
    return subprocess.run([sys.executable, *args], cwd=cwd, env=full_env, capture_output=True, text=True, timeout=600)


def test_the_installed_wheel_is_the_one_imported(installed, tmp_path):
    code = ("import json, sys, debatebot.interfaces.cli.main, debatebot.answers.prompts, debatebot.core.settings as s; "
            "print(json.dumps({'files': [m.__file__ for n, m in sys.modules.items() if n.startswith('debatebot') "
            "and getattr(m, '__file__', None)], 'path': sys.path, 'seeds': str(s.SEEDS_DIR)}))")
    out = run(installed, tmp_path, "-c", code)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert got["files"] and all(f.startswith(str(installed)) for f in got["files"])
    assert str(ROOT) not in got["path"] and "" not in got["path"][1:]
    assert got["seeds"].startswith(str(installed))


def test_the_wheel_indexes_its_seed_and_answers_through_an_llm_from_elsewhere(installed, tmp_path, fake_openai):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {"DEBATEBOT_INDEX_DIR": str(tmp_path / "idx")}
    out = run(installed, elsewhere, "-m", "debatebot", "index", "--json", **env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["added"] == ["seeds/landmines_ottawa_article.txt"] and not report["failed"]

    def responder(body):
        prompt = body["messages"][-1]["content"]
        first = re.split(r"(?<=[.!?])\s", dict(PASSAGE.findall(prompt))["P1"].strip())[0]
        return Reply.json({"answer": "The sources say so [P1].", "verdict": None,
                           "points": [{"claim": "The source says it", "side": None, "holder": None,
                                       "quotes": [{"text": first, "passage": "P1"}]}]})

    fake_openai.responder = responder
    out = run(installed, elsewhere, "-m", "debatebot", "ask", "--json", "Who ratified the Ottawa Convention?",
              **env, DEBATEBOT_LLM_BASE_URL=fake_openai.url, DEBATEBOT_LLM_MODEL="fake-model",
              DEBATEBOT_LLM_TIMEOUT="20")
    assert out.returncode == 0, out.stderr
    answer = json.loads(out.stdout)
    assert answer["backend"] == "llm"
    assert answer["points"] and answer["points"][0]["quotes"], answer
    system = fake_openai.chat_requests[-1].messages[0]["content"]
    packaged = (ROOT / "debatebot" / "answers" / "prompts" / "system.md").read_text(encoding="utf-8")
    assert system.strip() == packaged.strip()  # the prompt came from the wheel's package data
