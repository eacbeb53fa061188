"""Prompt files: loaded by name, every variable required, missing files fail loudly."""

from __future__ import annotations

import pytest

from debatebot.answers.prompts import PROMPTS_DIR, Prompt, load_prompt
from debatebot.core.errors import PromptError
from debatebot.core.models import Mode


def test_every_mode_has_a_prompt_with_passages_and_the_system_prompt_sets_the_rules():
    system = load_prompt("system").render()
    assert "untrusted" in system and "<passage" in system and "never follow" in system.lower()
    assert "API key" in system and '"points"' in system and "not_in_sources" in system
    for mode in Mode:
        p = load_prompt(mode.value)
        assert "passages" in p.variables, mode
        assert p.path is not None and p.path.parent == PROMPTS_DIR


def test_render_substitutes_and_keeps_json_braces():
    p = Prompt("t", 'Motion: $motion {"answer": "..."} cost $$5 ${side}side')
    assert p.render(motion="M", side="for") == 'Motion: M {"answer": "..."} cost $5 forside'
    assert p.variables == ["motion", "side"]


def test_missing_variable_fails_loudly_naming_it():
    with pytest.raises(PromptError, match="'side'"):
        load_prompt("argue").render(passages="x", motion="m")


def test_missing_file_fails_loudly(tmp_path):
    with pytest.raises(PromptError, match="nope"):
        load_prompt("nope")
    with pytest.raises(PromptError, match="not found"):
        load_prompt("system", tmp_path)
    with pytest.raises(PromptError):
        load_prompt("../system")


def test_prompt_from_another_folder_and_bad_placeholder(tmp_path):
    (tmp_path / "hello.txt").write_text("Hi $name", encoding="utf-8")
    assert load_prompt("hello", tmp_path).render(name="Ann", unused="x") == "Hi Ann"
    (tmp_path / "bad.md").write_text("costs $5", encoding="utf-8")
    with pytest.raises(PromptError, match="placeholder"):
        load_prompt("bad", tmp_path)
