"""The articles we wrote for the judge (training/data/written): the committed files pass their checker,
the dev split is topic-disjoint from train, the checker catches what it promises to, and a motion
that names something the sources define is read with its definition (`ground_motion`)."""

from __future__ import annotations

import importlib.util
import json

from debatebot.evaluation.written import WrittenArticle, WrittenSentence, claim_ok, load_written, split_of
from debatebot.judge.motions import ground_motion, named_things
from tests.conftest import FIXTURES, ROOT

WRITTEN = ROOT / "training" / "data" / "written"


def _checker():
    spec = importlib.util.spec_from_file_location("written_check", ROOT / "training" / "written_check.py")
    mod = importlib.util.module_from_spec(spec)
    assert spec.loader
    spec.loader.exec_module(mod)
    return mod


def test_the_committed_articles_pass_their_checker_and_meet_the_counts(capsys):
    files = sorted(str(p) for p in WRITTEN.glob("*.jsonl"))
    assert _checker().main(files) == 0, capsys.readouterr().out
    arts = load_written(WRITTEN)
    assert len(arts) >= 300  # the issue asks for 300 articles on 150 topics
    assert len({a.topic for a in arts}) >= 150
    assert all(len(a.claims) >= 10 and len(a.motions) >= 3 for a in arts)


def test_dev_topics_are_disjoint_from_train_and_every_article_of_a_topic_shares_its_split():
    train, dev = load_written(WRITTEN, "train"), load_written(WRITTEN, "dev")
    assert dev and train
    assert not {a.topic for a in train} & {a.topic for a in dev}
    assert all(split_of(a.topic) == "dev" for a in dev)


def test_the_checker_flags_a_reserved_topic_a_paraphrased_evidence_and_a_wrong_verdict():
    row = json.loads((FIXTURES / "topics" / "topics.jsonl").read_text(encoding="utf-8").splitlines()[0])
    check = _checker()
    row["claims"] = row["claims"] * 3  # 15 claims: enough to pass the count
    assert check.problems(row) == []
    bad = json.loads(json.dumps(row))
    bad["claims"][0]["evidence"] = ["Most vets support the order."]
    bad["claims"][1]["verdict"] = "supported"  # an antonym claim called supported
    bad["blocks"][0]["paragraph"][0]["text"] += " Nuclear power was not discussed."
    found = " | ".join(check.problems(bad))
    assert "not verbatim" in found and "antonym" in found and "reserved topic" in found


def test_a_motion_naming_a_defined_instrument_is_read_with_its_definition():
    art = load_written(FIXTURES / "topics")[0]
    texts = [s.text for s in art.sentences]
    grounded = ground_motion("Scrap the Companion Cats Identification Order", texts)
    assert grounded.startswith("Scrap the Companion Cats Identification Order. (")
    assert "require every pet cat to be microchipped" in grounded
    # a motion without a defined name, or whose name the sources never mention, is unchanged
    assert ground_motion("Ireland should make microchipping compulsory for pet cats", texts) == \
        "Ireland should make microchipping compulsory for pet cats"
    assert ground_motion("Repeal the Harbour Noise Act", texts) == "Repeal the Harbour Noise Act"


def test_named_things_skips_names_used_as_modifiers():
    assert named_things("Sweden should withdraw from the Nordic Fare Compact") == ["Nordic Fare Compact"]
    assert named_things("Repeal the Clean Harbours Act 2021") == ["Clean Harbours Act 2021"]
    assert named_things("European Union members should raise tariffs") == []
    assert named_things("We should ban smoking in bars") == []


def test_an_entity_swap_to_a_name_the_article_never_uses_may_be_not_in_the_sources():
    art = WrittenArticle("t-1", "a topic", "Harbour fee agreed", [
        WrittenSentence("Mayor Ana Ruiz of Porto said the fee starts in May.", "about", "Ana Ruiz", 0),
        WrittenSentence("Lisbon has no such fee.", "about", None, 0)], [], frozenset(), [])
    absent = {"claim": "Mayor Ana Ruiz of Braga said the fee starts in May.", "verdict": "contradicted",
              "perturbation": "entity"}
    present = {"claim": "Mayor Ana Ruiz of Lisbon said the fee starts in May.", "verdict": "contradicted",
               "perturbation": "entity"}
    assert claim_ok(art, absent, "not_in_sources") and claim_ok(art, absent, "contradicted")
    assert not claim_ok(art, present, "not_in_sources")  # Lisbon is named: judged from the sources
    assert not claim_ok(art, absent, "supported")
    negation = absent | {"perturbation": "negation"}
    assert not claim_ok(art, negation, "not_in_sources")
