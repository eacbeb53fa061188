"""The CLI as a user runs it: a subprocess, `--json` output parsed, errors as messages."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import FIXTURES, ROOT, SEED


def run(args, tmp_path, env_extra=None, check=True):
    env = dict(os.environ, DEBATEBOT_INDEX_DIR=str(tmp_path / "index"), HF_HUB_OFFLINE="1")
    env.update(env_extra or {})
    p = subprocess.run([sys.executable, "-m", "debatebot", *args], cwd=ROOT, env=env, capture_output=True,
                       text=True, timeout=300)
    if check:
        assert p.returncode == 0, p.stderr
    return p


@pytest.fixture
def hash_env():
    return {"DEBATEBOT_EMBEDDING_MODEL": "hash"}


def test_index_search_docs_json(tmp_path, hash_env):
    out = json.loads(run(["index", "--json"], tmp_path, hash_env).stdout)
    assert out["added"] == ["seeds/landmines_ottawa_article.txt"] and out["chunks_total"] > 5
    again = json.loads(run(["index", "seeds", "--json"], tmp_path, hash_env).stdout)
    assert again["unchanged"] == ["seeds/landmines_ottawa_article.txt"] and again["chunks_written"] == 0
    res = json.loads(run(["search", "How many nations ratified the Ottawa Convention?", "--json"], tmp_path, hash_env).stdout)
    assert res["query"].startswith("How many") and res["results"]
    text = SEED.read_text(encoding="utf-8")
    for r in res["results"]:
        assert set(r) >= {"text", "doc", "title", "paragraph", "start", "end", "score"}
        assert r["doc"] == "seeds/landmines_ottawa_article.txt"
        assert text[r["start"] : r["end"]] == r["text"]
    docs = json.loads(run(["docs", "--json"], tmp_path, hash_env).stdout)
    assert docs["documents"][0]["doc"] == "seeds/landmines_ottawa_article.txt"
    human = run(["search", "Ottawa", "-k", "2"], tmp_path, hash_env).stdout
    assert human.startswith("[1] seeds/landmines_ottawa_article.txt ¶") and "[2]" in human


def test_errors_are_messages(tmp_path, hash_env):
    p = run(["search", "   "], tmp_path, hash_env, check=False)
    assert p.returncode == 2 and p.stderr.startswith("error: The question is empty") and "Traceback" not in p.stderr
    p = run(["index", "no/such/path"], tmp_path, hash_env, check=False)
    assert p.returncode == 2 and "No such file or folder" in p.stderr
    p = run(["search", "anything"], tmp_path, hash_env, check=False)
    assert p.returncode == 2 and "Nothing is indexed" in p.stderr
    fresh = tmp_path / "fresh"
    p = run(["index"], fresh, dict(hash_env, DEBATEBOT_EMBEDDING_BATCH_TOKENS="10"), check=False)
    assert p.returncode == 2 and "Traceback" not in p.stderr, p.stderr
    assert p.stderr.startswith("error: Invalid setting: DEBATEBOT_EMBEDDING_BATCH_TOKENS=10")
    assert not (fresh / "index").exists(), "nothing may be written before the settings are valid"


def test_model_change_message(tmp_path, hash_env):
    run(["index"], tmp_path, hash_env)
    p = run(["search", "Ottawa"], tmp_path, {"DEBATEBOT_EMBEDDING_MODEL": "hash", "DEBATEBOT_CHUNK_TOKENS": "50"}, check=False)
    assert p.returncode == 2 and "different settings" in p.stderr and "debatebot index" in p.stderr
    p = run(["index"], tmp_path, {"DEBATEBOT_EMBEDDING_MODEL": "hash", "DEBATEBOT_CHUNK_TOKENS": "50"})
    assert "Rebuilt the index" in p.stdout


@pytest.mark.slow
def test_argue_json_offline(tmp_path):
    run(["index"], tmp_path)
    out = json.loads(run(["argue", "--side", "for", "Europe should reintroduce anti-personnel mines", "--json"], tmp_path).stdout)
    assert out["mode"] == "argue" and out["backend"] == "offline"
    assert len(out["points"]) <= 5 and out["verdict"] is None
    text = SEED.read_text(encoding="utf-8")
    for p in out["points"]:
        assert p["side"] == "for" and p["quotes"]
        for q in p["quotes"]:
            assert text[q["start"] : q["end"]] == q["text"]


DRAFT = (FIXTURES / "drafts" / "seed_draft.md").read_text(encoding="utf-8")


def test_check_draft_json(tmp_path):
    """3 exact quotes, 2 altered, 1 misattributed, 2 false claims and 1 true one, with offsets into the draft."""
    run(["index"], tmp_path)
    draft = tmp_path / "draft.md"
    draft.write_text(DRAFT, encoding="utf-8")
    out = json.loads(run(["check-draft", str(draft), "--json"], tmp_path).stdout)
    items = out["items"]
    for it in items:
        assert DRAFT[it["start"]:it["end"]] == it["text"]
        for ev in it["evidence"]:
            assert SEED.read_text(encoding="utf-8")[ev["start"]:ev["end"]] == ev["text"]
        assert len({(ev["doc"], ev["start"], ev["end"]) for ev in it["evidence"]}) == len(it["evidence"])  # once each
    quotes = [it for it in items if it["kind"] == "quote"]
    claims = {it["text"]: it["verdict"] for it in items if it["kind"] == "claim"}
    by_start = {q["text"][:20]: q for q in quotes}
    assert by_start["The military necessi"]["verdict"] == "exact"
    assert by_start["The military necessi"]["speaker"]["verdict"] == "correct"
    assert by_start["No technological fix"]["verdict"] == "exact"
    assert by_start["What we are witnessi"]["verdict"] == "exact"
    assert by_start["The humanitarian tol"]["verdict"] == "altered"
    assert by_start["The humanitarian tol"]["speaker"]["verdict"] == "misattributed"
    assert by_start["The combination of d"]["verdict"] == "altered" and by_start["The combination of d"]["diff"]
    assert by_start["Anti-personnel landm"]["speaker"]["verdict"] == "misattributed"
    assert claims["The Biden administration refused to give Ukraine landmines."] != "supported"
    assert claims["Finland has a 900-mile border with Russia."] == "contradicted"
    assert claims["The Ottawa Convention has been ratified by 164 nations, including the UK."] == "supported"
    assert sum(out["counts"].values()) == len(items)
    human = run(["check-draft", str(draft)], tmp_path).stdout
    assert human.startswith("### Draft check") and "Altered quotation" in human


def test_check_draft_refusals(tmp_path, hash_env):
    run(["index"], tmp_path, hash_env)
    empty = tmp_path / "plain.txt"
    empty.write_text("hello there\n\nnothing to see\n", encoding="utf-8")
    p = run(["check-draft", str(empty)], tmp_path, hash_env, check=False)
    assert p.returncode == 2 and "no quotations or checkable" in p.stderr
    big = tmp_path / "big.txt"
    big.write_text("The council met on 3 May. " * 45000, encoding="utf-8")
    p = run(["check-draft", str(big)], tmp_path, hash_env, check=False)
    assert p.returncode == 2 and "1 MB limit" in p.stderr
