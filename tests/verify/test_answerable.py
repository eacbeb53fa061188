"""The answerability gate of `ask` (debatebot/verify/answerable.py): the shipped weights load with their
record, the questions we wrote pass their checker, and over two articles written for these tests
(tests/fixtures/topics) `ask` answers the questions they answer and says "not in the sources" of those
they do not (a near miss that shares their names included), with the nearest passages shown as such."""

from __future__ import annotations

import importlib.util
import json

import numpy as np
import pytest

from debatebot.core.models import Mode, Request
from debatebot.evaluation.questions import evaluate_questions, load_questions
from debatebot.evaluation.written import load_written
from debatebot.verify.answerable import FEATURES, features, gate_path, get_gate, wants_figure, wants_name
from tests.conftest import FIXTURES, ROOT

QUESTIONS = FIXTURES / "questions"
TOPICS = FIXTURES / "topics"


def test_the_gate_ships_with_its_record():
    gate = get_gate()
    assert gate is not None, gate_path()
    d = json.loads(gate_path().read_text(encoding="utf-8"))
    assert tuple(d["features"]) == FEATURES and len(d["weights"]) == len(FEATURES)
    rec = d["record"]
    assert rec["split"] == "train" and rec["questions"] >= 400 and rec["seed"] is not None
    assert all(not p.startswith("../") for p in rec["data"]) and len(next(iter(rec["data"].values()))) == 64
    assert 0 < gate.threshold <= gate.weak < 1
    assert rec["cv5_not_in_sources_precision"] >= 0.85  # the bar the threshold was chosen for (0.9)


def test_the_written_questions_pass_their_checker_and_cover_both_splits(capsys):
    spec = importlib.util.spec_from_file_location("questions_check", ROOT / "training" / "questions_check.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader
    spec.loader.exec_module(mod)
    files = sorted((ROOT / "training" / "data" / "questions").glob("*.jsonl"))
    assert mod.check(files) == 0, capsys.readouterr().out
    rows = load_questions()
    arts = {a.id: a for a in load_written(ROOT / "training" / "data" / "written")}
    from debatebot.evaluation.written import split_of

    splits = {split_of(arts[r["article"]].topic) for r in rows}
    assert splits == {"train", "dev"} and len(rows) >= 600


def test_question_kinds():
    assert wants_figure("What share of vets back the order?") and wants_figure("When does it close?")
    assert not wants_figure("Why do farmers object?")
    assert wants_name("Who runs the rescue?") and wants_name("Which company won the contract?")
    assert not wants_name("Why do farmers object?")


def test_features_see_a_name_the_sources_never_mention():
    x = features("How did Norway merge its municipalities?", ["Finland merged its municipalities in 2009."],
                 [0.7], [0.5], ["Finland merged its municipalities in 2009."])
    assert x[FEATURES.index("names_missing_sources")] == 1.0 and x[FEATURES.index("names_missing_top")] == 1.0
    y = features("How did Finland merge its municipalities?", ["Finland merged its municipalities in 2009."],
                 [0.7], [0.5], ["Finland merged its municipalities in 2009."])
    assert y[FEATURES.index("names_missing_sources")] == 0.0
    assert get_gate().probability(y) > get_gate().probability(x)


@pytest.fixture(scope="module")
def topics_engine(tmp_path_factory):
    from debatebot.answers.engine import Engine
    from debatebot.corpus.library import Library
    from tests.conftest import make_settings

    lib = Library(make_settings(tmp_path_factory.mktemp("answerable"), embedding_model="all-MiniLM-L6-v2"))
    for a in load_written(TOPICS):
        lib.add_text(a.id, a.text, title=a.headline)
    return Engine(lib)


def test_ask_answers_what_the_sources_answer_and_says_when_they_do_not(topics_engine):
    rows = load_questions(QUESTIONS)
    for r in rows:
        ans = topics_engine.run(Request(mode=Mode.ask, text=r["question"]))
        details = ans.details["answerable"]
        assert set(details["features"]) == set(FEATURES) and 0 <= details["probability"] <= 1
        if r["answerable"]:
            assert ans.verdict != "not_in_sources", (r["question"], details)
            assert ans.points and "From the sources" in ans.answer
        else:
            assert ans.verdict == "not_in_sources", (r["question"], details)
            assert not ans.points and "Not in the sources" in ans.answer
            assert ans.context is not None and ans.context.quotes  # the nearest passages, shown as such


def test_the_questions_eval_part_measures_both_kinds():
    out = evaluate_questions(TOPICS, None, QUESTIONS)
    assert out["questions"] == len(load_questions(QUESTIONS))
    assert out["questions_not_in_sources_recall"]["n"] == 4
    assert out["questions_not_in_sources_precision"]["value"] == 1.0
    assert 0.0 <= out["questions_answered_with_evidence"]["value"] <= 1.0
    assert np.isclose(out["questions_right_other_topic"]["value"], 1.0)
