"""Stance scoring: motion parsing, seed-article sentences, polarity flip, relevance, evaluation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from debatebot.embeddings import get_embedder
from debatebot.stance import (
    StanceScorer,
    explicit_statement,
    lexical_sentiment,
    motion_target,
    parse_motion,
    target_flipped,
)

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "stance"
SEED_MOTION = "European NATO members should be prepared to use anti-personnel mines"
ALT_MOTION = "Europe should reintroduce anti-personnel mines"
BAN_MOTION = "Anti-personnel mines should be banned"

# verbatim sentences from seeds/landmines_ottawa_article.txt
NECESSITY = "\u201cThe military necessity part of the calculus is frankly terrifying,\u201d he stated, given Russia\u2019s demonstrated capabilities and operational scale."
RUSI = "A recent report from the Royal United Services Institute (RUSI) think-tank recommended that NATO members in Europe \u201cshould regenerate the ability to deploy both anti-tank and anti-personnel mines.\u201d"
LABIANCO = "\u201cThe humanitarian toll of deploying landmines is massive and can never be outweighed by the alleged military utility of such weapons,\u201d he stated."
WILCKEN = "Patrick Wilcken, a researcher focused on military and security issues for Amnesty International, asserted, \u201cAnti-personnel landmines are inherently inhumane and indiscriminate weapons that have caused untold suffering around the world."
SUPPORT = [NECESSITY, RUSI]
OPPOSE = [LABIANCO, WILCKEN]
UNRELATED = ["The weather in Paris was sunny on Tuesday.", "The recipe calls for two eggs and a cup of flour."]


@pytest.fixture(scope="module")
def hash_scorer() -> StanceScorer:
    return StanceScorer(get_embedder("hash"))


def test_seed_sentences_are_in_the_article(seed_text):
    from debatebot.text import normalize

    norm = normalize(seed_text)
    for s in SUPPORT + OPPOSE:
        assert normalize(s) in norm


@pytest.mark.parametrize(
    ("motion", "target", "polarity"),
    [
        (SEED_MOTION, "anti-personnel mines", 1),
        (ALT_MOTION, "anti-personnel mines", 1),
        (BAN_MOTION, "Anti-personnel mines", -1),
        ("We should not ban anti-personnel mines", "anti-personnel mines", 1),
        ("We should abandon the use of school uniform", "school uniform", -1),
        ("We should fight for the abolition of nuclear weapons", "nuclear weapons", -1),
        ("This house believes that advertising is harmful", "advertising", -1),
        ("This house believes that states should not subsidize the growing of tobacco", "growing of tobacco", -1),
        ("This house would enforce term limits on the legislative branch of government",
         "term limits on the legislative branch of government", 1),
        ("Assisted suicide should be a criminal offence", "Assisted suicide", -1),
        ("This house believes that the leaking of military documents was justified", "leaking of military documents", 1),
    ],
)
def test_parse_motion(motion, target, polarity):
    m = parse_motion(motion)
    assert (m.target, m.polarity) == (target, polarity)
    assert motion_target(motion) == target


def test_lexical_rules():
    assert lexical_sentiment("It reduces crime and violence.") > 0  # reducing a bad thing is good
    assert lexical_sentiment("It increases crime and violence.") < 0
    assert lexical_sentiment("They are inherently inhumane and indiscriminate.") < 0
    assert lexical_sentiment("This is not harmful.") > 0
    assert lexical_sentiment("It is cheap, but it is dangerous and cruel.") < 0
    assert lexical_sentiment("The meeting is on Tuesday at noon.") == 0


def test_explicit_statement_and_flip():
    words = {"uniform"}
    assert explicit_statement("School uniform should not be abandoned because it helps", words) == 1.0
    assert explicit_statement("We should abandon school uniform since it stops expression", words) == -1.0
    assert explicit_statement("Uniforms look smart.", words) == 0.0
    assert target_flipped("The ban on school uniform caused chaos", words)
    assert not target_flipped("School uniform is cheap", words)


def _check_seed(scorer: StanceScorer) -> None:
    for motion in (SEED_MOTION, ALT_MOTION):
        results = scorer.score_many(SUPPORT + OPPOSE, motion)
        for s, r in zip(SUPPORT, results[:2]):
            assert r.value > 0, (s, r)
        for s, r in zip(OPPOSE, results[2:]):
            assert r.value < 0, (s, r)
        for r in results:
            assert -1 <= r.value <= 1 and 0 <= r.relevance <= 1 and r.reason
    # the same sentences flip sign against the opposite motion
    flipped = scorer.score_many(SUPPORT + OPPOSE, BAN_MOTION)
    assert all(r.value < 0 for r in flipped[:2]) and all(r.value > 0 for r in flipped[2:])


def _check_unrelated(scorer: StanceScorer) -> None:
    for r in scorer.score_many(UNRELATED, SEED_MOTION):
        assert r.relevance < 0.2 and abs(r.value) < 0.1, r
    assert scorer.score(RUSI, SEED_MOTION).relevance > 0.5
    assert scorer.score(WILCKEN, SEED_MOTION).relevance > 0.5


def test_seed_stance_hash(hash_scorer):
    _check_seed(hash_scorer)


def test_unrelated_low_relevance_hash(hash_scorer):
    _check_unrelated(hash_scorer)


def test_score_matches_score_many(hash_scorer):
    batch = hash_scorer.score_many([RUSI, WILCKEN], SEED_MOTION)
    assert [hash_scorer.score(s, SEED_MOTION) for s in (RUSI, WILCKEN)] == batch
    assert hash_scorer.score_many([], SEED_MOTION) == []


def test_score_many_embeds_once():
    calls: list[int] = []

    class Counting:
        name, dim = "counting", 384

        def __init__(self) -> None:
            self._inner = get_embedder("hash")

        def embed(self, texts):
            calls.append(len(texts))
            return self._inner.embed(texts)

    scorer = StanceScorer(Counting())
    calls.clear()
    scorer.score_many(SUPPORT + OPPOSE + UNRELATED, SEED_MOTION)
    assert len(calls) == 1


def test_evaluate_stance_on_fixture(tmp_path):
    from debatebot.evaluation.stance import evaluate_stance

    root = tmp_path / "eval"
    shutil.copytree(FIXTURE, root)
    report = evaluate_stance(root, get_embedder("hash"))
    cs, kp = report["ibm_claim_stance"], report["argkp"]
    assert cs["ibm_claim_stance_accuracy"]["n"] == 6 and cs["topics"] == 2
    assert kp["argkp_stance_accuracy"]["n"] == 6 and kp["files"] == ["arguments_dev.csv"]  # train skipped
    assert cs["ibm_claim_stance_accuracy"]["value"] >= 5 / 6
    assert kp["argkp_stance_accuracy"]["value"] >= 5 / 6
    for section in (cs, kp):
        for key, m in section.items():
            if key.endswith("accuracy"):
                assert 0.0 <= m["value"] <= 1.0
    limited = evaluate_stance(root, get_embedder("hash"), limit=3)
    assert limited["argkp"]["argkp_stance_accuracy"]["n"] == 3


def test_evaluate_stance_missing_data(tmp_path):
    from debatebot.errors import EvalDataError
    from debatebot.evaluation.stance import evaluate_stance

    with pytest.raises(EvalDataError):
        evaluate_stance(tmp_path, get_embedder("hash"))


@pytest.mark.slow
def test_seed_stance_minilm(minilm):
    scorer = StanceScorer(minilm)
    _check_seed(scorer)
    _check_unrelated(scorer)
