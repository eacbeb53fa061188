"""The app's example prompts are data beside the seed documents, never code."""

from __future__ import annotations

import ast
import json
import logging
from pathlib import Path

from debatebot.core.settings import SEEDS_DIR
from debatebot.corpus.ingest import discover
from debatebot.interfaces.web.examples import EXAMPLES_FILE, load_examples
from debatebot.interfaces.web.session import MODE_CHOICES

PKG = Path(__file__).resolve().parents[2] / "debatebot"


def test_the_seed_examples_load_and_name_known_modes():
    ex = load_examples(SEEDS_DIR)
    assert ex.motion and ex.speaker_hint
    assert {r[0] for r in ex.rows} <= set(MODE_CHOICES) and len(ex.rows) >= 5
    assert all(r[3] == ex.motion for r in ex.rows)
    assert "Balanced summary" in ex.labels() and f"Argue for: {ex.motion}"[:90] in ex.labels()


def test_the_examples_file_is_not_indexed_as_a_source():
    assert (SEEDS_DIR / EXAMPLES_FILE).is_file()
    found, skipped = discover([SEEDS_DIR])
    assert found and not skipped  # skipped silently: not "unsupported type '.json'"
    assert all(not f.path.name.startswith(".") for f in found)


def test_a_folder_of_ones_own_brings_its_own_examples(tmp_path):
    assert load_examples(tmp_path).rows == [["Balanced summary", "", "", ""]]  # no file: modes needing no text
    assert load_examples(tmp_path).motion == ""
    (tmp_path / EXAMPLES_FILE).write_text(json.dumps({
        "motion": "This house would adopt a four-day working week",
        "examples": [{"mode": "Argue against"}, {"mode": "Check a claim", "text": "Productivity rose 20%"}]}),
        encoding="utf-8")
    ex = load_examples(tmp_path)
    assert ex.motion == "This house would adopt a four-day working week" and ex.speaker_hint == ""
    assert ex.labels() == ["Argue against: This house would adopt a four-day working week",
                           "Check a claim: Productivity rose 20%"]


def test_a_broken_examples_file_is_reported_and_the_default_shown(tmp_path, caplog):
    f = tmp_path / EXAMPLES_FILE
    with caplog.at_level(logging.WARNING, logger="debatebot.interfaces.web.examples"):
        f.write_text("{not json", encoding="utf-8")
        assert load_examples(tmp_path).rows == [["Balanced summary", "", "", ""]]
        f.write_text(json.dumps({"motion": "M", "examples": [{"mode": "Shout"}, {"mode": "Rebut", "text": "x"}]}),
                     encoding="utf-8")
        assert load_examples(tmp_path).rows == [["Rebut", "x", "", "M"]]
        f.write_text(json.dumps(["a list"]), encoding="utf-8")
        assert load_examples(tmp_path).motion == ""
    msgs = " ".join(r.getMessage() for r in caplog.records)
    assert "not a valid examples file" in msgs and "unknown mode 'Shout'" in msgs


def _code_strings(path: Path) -> list[str]:
    """The string constants of a module, docstrings left out (they may cite the seed as an example)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]


def test_no_code_carries_the_seeds_examples():
    ex = load_examples(SEEDS_DIR)
    needles = {ex.motion, ex.speaker_hint} | {r[1] for r in ex.rows if r[1]}
    hits = [(str(p.relative_to(PKG)), s[:60]) for p in sorted(PKG.rglob("*.py"))
            for s in _code_strings(p) if any(n in s for n in needles)]
    assert not hits, f"subject words of the seed written in code: {hits}"
