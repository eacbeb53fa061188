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
    structural_cues,
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


# ---- structural cues: camps, relation to a ban on the target, necessity, absence --------------------
NUCLEAR = "nuclear power"
UNIFORMS = "school uniforms"


@pytest.mark.parametrize(
    ("sentence", "target", "sign"),
    [
        ("Advocates of nuclear power argue that new reactors could be cheaper, while there is concern "
         "about costs.", NUCLEAR, 1),
        ("Proponents of school uniforms cite a drop in bullying.", UNIFORMS, 1),
        ("Those who favour school uniforms say they save parents money.", UNIFORMS, 1),
        ("Supporters of renewed nuclear power use point to falling emissions.", NUCLEAR, 1),
        ("Critics of nuclear power say the waste problem is unsolved.", NUCLEAR, -1),
        ("Campaigners against school uniforms staged a protest.", UNIFORMS, -1),
        ("Parents voiced strong opposition to school uniforms.", UNIFORMS, -1),
        ("Activists are calling for a complete ban on nuclear power.", NUCLEAR, -1),
        ("The decision drew a fierce backlash from parents.", UNIFORMS, -1),
        ("Those who oppose these uniforms say they are uncomfortable.", UNIFORMS, -1),
        ("Advocates of human rights argue that the trial was unfair.", NUCLEAR, 0),
    ],
)
def test_camp_cues(sentence, target, sign):
    camp = structural_cues(sentence, target)["camp"]
    assert (camp > 0) - (camp < 0) == sign, camp


@pytest.mark.parametrize(
    ("sentence", "target", "sign"),
    [
        ("Several states are reconsidering the moratorium on nuclear power.", NUCLEAR, 1),
        ("The board voted to lift the ban on school uniforms.", UNIFORMS, 1),
        ("Officials raised fundamental questions about the existing nuclear power ban.", NUCLEAR, 1),
        ("The consensus against nuclear power is beginning to fracture.", NUCLEAR, 1),
        ("However, the consensus against these uniforms has been called into question.", UNIFORMS, 1),
        ("Ministers have suggested that leaving the Vienna treaty is a viable option.", NUCLEAR, 1),
        ("The city announced its consideration of withdrawing from the uniform ban.", UNIFORMS, 1),
        ("The country, a non-signatory of the treaty, builds reactors.", NUCLEAR, 1),
        ("The government reaffirmed its commitment to the ban on nuclear power.", NUCLEAR, -1),
        ("The union strongly supports the treaty and has no plans to change its position.", NUCLEAR, -1),
        ("The district has no plans to leave the ban on school uniforms.", UNIFORMS, -1),
        ("The court upheld the ban on sugary drinks in schools.", NUCLEAR, 0),  # a ban on something else
    ],
)
def test_ban_relation_cues(sentence, target, sign):
    rel = structural_cues(sentence, target)["ban_relation"]
    assert (rel > 0) - (rel < 0) == sign, rel


@pytest.mark.parametrize(
    ("sentence", "target", "sign"),
    [
        ("The necessity for schools to adopt uniforms is becoming increasingly urgent.", UNIFORMS, 1),
        ("Nuclear power is once again becoming essential for energy security.", NUCLEAR, 1),
        ("Countries may soon find themselves compelled to follow Japan in expanding nuclear "
         "power.", NUCLEAR, 1),
        ("Grid operators require nuclear power to keep the lights on.", NUCLEAR, 1),
        ("There is no need for school uniforms.", UNIFORMS, -1),
        ("It is necessary to phase out nuclear power.", NUCLEAR, -1),
        ("Nuclear power is no longer necessary.", NUCLEAR, -1),
        ("Large reservoirs required for nuclear power stations flood "
         "valleys.", NUCLEAR, 0),  # X needs, not is needed
        ("Some regulation is required to make nuclear power safe.", NUCLEAR, 0),  # the regulation is needed
    ],
)
def test_necessity_cues(sentence, target, sign):
    need = structural_cues(sentence, target)["necessity"]
    assert (need > 0) - (need < 0) == sign, need


def test_absence_cue():
    assert structural_cues("Without the capacity to build nuclear power stations, the grid would risk "
                           "blackouts.",
                           NUCLEAR)["absence"] == 1.0
    assert structural_cues("Schools lacking uniforms saw more bullying.", UNIFORMS)["absence"] == 1.0
    # what is lacking is the controls, not the target
    assert structural_cues("Operators lack adequate controls over nuclear power "
                           "stations.", NUCLEAR)["absence"] == 0.0
    assert target_flipped("A ban on landmines was "
                          "signed.", {"anti", "personnel", "mine"})  # "landmines" ~ "mines"


def test_lexical_ignores_target_words_names_and_concessions():
    assert lexical_sentiment("Anti-personnel mines were discussed.") < 0  # VADER: "anti" is negative
    assert lexical_sentiment("Anti-personnel mines were "
                             "discussed.", frozenset({"anti", "personnel", "mines"})) == 0
    assert lexical_sentiment("Delegates met in the United States.") == 0  # a name, not "united"
    # "while X, Y": the conceded clause X counts less than the main clause Y
    assert lexical_sentiment("While critics call it costly and risky, uniforms are good and fair.") > 0
    assert lexical_sentiment("While uniforms are good and fair, they are costly, risky and harmful.") < 0


GENERIC = [  # (motion, sentence, sign of the value)
    ("We should use nuclear "
     "power", "Advocates of nuclear power argue that waste is a growing concern that can be managed.", 1),
    ("We should use nuclear "
     "power", "Critics of nuclear power warn that it is cheap and reliable but unsafe.", -1),
    ("We should use nuclear power", "Officials suggested that leaving the moratorium is a viable option.", 1),
    ("We should use nuclear power", "The agency reiterated its commitment to the ban on nuclear power.", -1),
    ("We should use nuclear "
     "power", "Without nuclear power, the grid would risk lacking the capacity to meet demand.", 1),
    ("We should use nuclear "
     "power", "The necessity to build nuclear power stations is becoming increasingly urgent.", 1),
    ("School uniforms should be "
     "banned", "Proponents of school uniforms cite a drop in bullying and violence.", -1),
    ("School uniforms should be "
     "banned", "Parents voiced strong opposition to school uniforms, saying they stifle expression.", 1),
    ("School uniforms should be banned", "There is no need for school uniforms in a modern school.", 1),
]


@pytest.mark.parametrize(("motion", "sentence", "sign"), GENERIC)
def test_structural_cues_decide_stance_hash(hash_scorer, motion, sentence, sign):
    r = hash_scorer.score(sentence, motion)
    assert r.value * sign > 0, r
    assert r.relevance >= 0.5 and r.reason


# ---- regression: seed-article sentences that support or oppose the seed motion ------------------------
SEED_REGRESSION = [  # (fragment unique to one sentence of the seed article, sign towards SEED_MOTION)
    ("Advocates for renewed landmine use argue", 1),
    ("Leading defense analysts argue that European nations", 1),
    ("leaving the Ottawa ban is a viable option", 1),
    ("raises fundamental questions about the existing landmine ban", 1),
    ("without the capacity to stockpile and utilize mines", 1),
    ("the military necessity for European forces to deploy landmines", 1),
    ("consensus against these weapons is beginning to fracture", 1),
    ("its consideration of withdrawing from the Ottawa Treaty", 1),
    ("Proponents of landmine use cite technological advances", 1),
    ("underscores the ongoing risk associated with these weapons", -1),
    ("Campaigners, however, have voiced strong opposition", -1),
    ("ignited backlash from campaigners advocating for a complete ban", -1),
    ("reiterated its commitment to the treaty", -1),
    ("inherently inhumane and indiscriminate weapons", -1),
]
SEED_LABELS = FIXTURE / "seed_article_stance.jsonl"


def _seed_rows() -> list[dict]:
    import json

    return [json.loads(line) for line in SEED_LABELS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _seed_sentence(fragment: str) -> str:
    hits = [r["sentence"] for r in _seed_rows() if fragment in r["sentence"]]
    assert len(hits) == 1, fragment
    return hits[0]


def test_seed_labels_fixture_matches_the_article(seed_doc):
    rows = _seed_rows()
    assert [r["sentence"] for r in rows] == [seed_doc.sentence_text(s) for s in seed_doc.sentences]
    assert len(rows) == 48 and {r["label"] for r in rows} == {"pro", "con", "neutral"}
    for fragment, sign in SEED_REGRESSION:  # the regression labels agree with the fixture
        row = next(r for r in rows if fragment in r["sentence"])
        assert row["label"] == ("pro" if sign > 0 else "con")


def _seed_sign_accuracy(scorer: StanceScorer) -> float:
    rows = [r for r in _seed_rows() if r["label"] != "neutral"]
    results = scorer.score_many([r["sentence"] for r in rows], SEED_MOTION)
    return sum((res.value > 0) == (r["label"] == "pro") for res, r in zip(results, rows)) / len(rows)


def _check_seed_regression(scorer: StanceScorer) -> None:
    sentences = [_seed_sentence(f) for f, _ in SEED_REGRESSION]
    for (fragment, sign), r in zip(SEED_REGRESSION, scorer.score_many(sentences, SEED_MOTION)):
        assert r.value * sign > 0, (fragment, r)
    # against the opposite motion every sign flips
    for (fragment, sign), r in zip(SEED_REGRESSION, scorer.score_many(sentences, BAN_MOTION)):
        assert r.value * sign < 0, (fragment, r)


def test_seed_regression_hash(hash_scorer):
    _check_seed_regression(hash_scorer)
    assert _seed_sign_accuracy(hash_scorer) >= 0.80  # 36/42 when written (0.60 before the cues)


@pytest.mark.slow
def test_seed_regression_minilm(minilm):
    scorer = StanceScorer(minilm)
    _check_seed_regression(scorer)
    assert _seed_sign_accuracy(scorer) >= 0.88  # 39/42 when written (0.64 before the cues)
