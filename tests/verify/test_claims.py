"""Claim checking (debatebot.verify.claims) and its evaluation (debatebot.evaluation.claim_eval)."""

from __future__ import annotations

import json

import pytest

from debatebot.core.errors import EvalDataError, InputError
from debatebot.corpus.embeddings import get_embedder
from debatebot.evaluation.claim_eval import balanced_accuracy, evaluate_frank, evaluate_wice, pooled_vectors
from debatebot.verify.claims import (
    ClaimCheck,
    EvidenceCandidate,
    check_claim,
    combine_verdicts,
    judge,
    rank_evidence,
    split_claim,
    tokenize,
)
from tests.conftest import FIXTURES

CLAIMS_ROOT = FIXTURES / "claims"
DOC = "seeds/landmines_ottawa_article.txt"


@pytest.fixture
def candidates(seed_doc) -> list[EvidenceCandidate]:
    return [EvidenceCandidate(seed_doc.sentence_text(s), DOC, s.start, s.end) for s in seed_doc.sentences]


@pytest.fixture(scope="module")
def hash_embedder():
    return get_embedder("hash")


SEED_CASES = [
    ("164 nations ratified the Ottawa Convention", "supported"),
    ("150 nations ratified the Ottawa Convention", "contradicted"),
    ("the US has signed the Ottawa treaty", "contradicted"),
    ("Finland has a 800-mile border with Russia", "supported"),
    pytest.param("Russia has incurred around 600000 combatant losses", "supported",
                 marks=pytest.mark.xfail(strict=True, reason="known miss of the shipped judge (conservative: "
                                         "partly supported)")),
    ("Russia has incurred around 500,000 combatant losses", "contradicted"),
    ("All NATO members ratified the Ottawa Convention", "contradicted"),
    ("Germany deployed chemical weapons on the Moon in 2023", "not_in_sources"),
    ("164 nations ratified the Ottawa Convention and Germany has withdrawn from it", "partly_supported"),
]


# ---- seed article ----------------------------------------------------------------------------
@pytest.mark.parametrize("claim,expected", SEED_CASES)
@pytest.mark.parametrize("use_embedder", [False, True], ids=["lexical", "hash"])
def test_seed_verdicts(candidates, hash_embedder, claim, expected, use_embedder):
    result = check_claim(claim, candidates, hash_embedder if use_embedder else None)
    assert result.verdict == expected, result.to_json()


def test_evidence_is_verbatim_with_offsets(candidates, seed_text):
    result = check_claim("150 nations ratified the Ottawa Convention", candidates)
    ev = result.claims[0].evidence
    assert ev and "164 nations" in ev[0].text
    for e in ev:
        assert e.doc == DOC and seed_text[e.start : e.end] == e.text
    assert "164" in result.claims[0].reason and "150" in result.claims[0].reason


def test_negation_evidence_is_the_us_sentence(candidates):
    result = check_claim("the US has signed the Ottawa treaty", candidates)
    assert "U.S. is not a signatory" in result.claims[0].evidence[0].text


def test_json_contract(candidates):
    out = check_claim("164 nations ratified the Ottawa Convention and Germany has withdrawn from it",
                      candidates).to_json()
    assert set(out) == {"verdict", "claims", "combination"}
    assert out["verdict"] == "partly_supported" and out["combination"]["rule"] == "partly_supported"
    assert out["claims"][0]["verdict"] == "supported"
    assert out["claims"][1]["verdict"] in ("not_in_sources", "partly_supported")
    for c in out["claims"]:
        assert set(c) == {"text", "verdict", "evidence", "reason"}
        for e in c["evidence"]:
            assert set(e) == {"text", "doc", "start", "end"}
    json.dumps(out)
    assert ClaimCheck.model_validate(out).verdict == "partly_supported"


@pytest.mark.slow
@pytest.mark.parametrize("claim,expected", SEED_CASES)
def test_seed_verdicts_minilm(candidates, minilm, claim, expected):
    verdict = check_claim(claim, candidates, minilm).verdict
    if expected == "contradicted":  # the embedder changes the evidence order: never supported is the bar
        # ("the US has signed the Ottawa treaty" is partly supported on one CPU; on an AMD EPYC the
        # combination reads it 0.55 contradicted without its 0.7 bar, and says not in the sources)
        assert verdict in ("contradicted", "partly_supported", "not_in_sources")
    else:
        assert verdict == expected


# ---- pieces ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "claim,parts",
    [
        ("164 nations ratified the Ottawa Convention", ["164 nations ratified the Ottawa Convention"]),
        ("164 nations ratified the treaty and Germany has withdrawn from it",
         ["164 nations ratified the treaty", "Germany has withdrawn from it"]),
        ("Finland joined NATO; Estonia considered leaving the ban",
         ["Finland joined NATO", "Estonia considered leaving the ban"]),
        ("Estonia, Latvia and Lithuania discussed reintroducing mines",
         ["Estonia, Latvia and Lithuania discussed reintroducing mines"]),
        ("The US and the UK signed the treaty", ["The US and the UK signed the treaty"]),
        ("Russia laid mines, but Ukraine has cleared many of them",
         ["Russia laid mines", "Ukraine has cleared many of them"]),
        ("Mines are cheap while drones are expensive", ["Mines are cheap", "drones are expensive"]),
        # premise and conclusion are both claims
        ("The new pumps switch off after two hours, so the river is safe",
         ["The new pumps switch off after two hours", "the river is safe"]),
        ("The council will close the bridge because it was damaged in March",
         ["The council will close the bridge", "it was damaged in March"]),
        ("Prices rose so fast that shops closed", ["Prices rose so fast that shops closed"]),
        ("", []),
    ],
)
def test_split_claim(claim, parts):
    assert split_claim(claim) == parts


def test_numbers_are_normalised():
    def nums(text):
        return [(t.number, t.kind) for t in tokenize(text) if t.number is not None]

    assert nums("600,000 and 600000") == [(600000.0, "num"), (600000.0, "num")]
    assert nums("41.3 % or 41.3 percent") == [(41.3, "percent"), (41.3, "percent")]
    assert nums("in 2016, 1.5 million, two weeks") == [(2016.0, "year"), (1.5e6, "num"), (2.0, "num")]


def test_rank_evidence_prefers_matching_sentence(hash_embedder):
    sents = ["The weather was mild.", "Finland has an 800-mile border with Russia.", "Mines are cheap."]
    assert rank_evidence("How long is Finland's border with Russia?", sents, k=2)[0] == 1
    assert rank_evidence("How long is Finland's border with Russia?", sents, hash_embedder, k=2)[0] == 1
    assert rank_evidence("anything", [], k=5) == []


def test_judge_checks():
    ev = ["The law was not passed by the senate in 2019."]
    assert judge("The law was passed by the senate in 2019", ev).verdict == "contradicted"
    assert judge("The law was passed by the senate in 2018", ["The law was passed by the senate in 2019."]
                 ).verdict == "contradicted"
    assert judge("Unemployment rose to 5 percent", ["Unemployment fell to 5 percent."]).verdict == "contradicted"
    j = judge("The senate passed the law in 2019", ["The senate passed the law in 2019."])
    assert j.verdict == "supported" and j.evidence == [0] and 0.0 <= j.score <= 1.0
    assert judge("Smith passed the law", ["The senate passed the law."]).verdict == "partly_supported"
    assert judge("The law passed", []).verdict == "not_in_sources"
    # double negation agrees; "not only" is no negation
    assert judge("Alcohol is not allowed", ["Alcohol is prohibited and not allowed."]).verdict == "supported"
    assert judge("Mines harm not only soldiers but civilians",
                 ["Mines harm not only soldiers but civilians."]).verdict == "supported"
    # a number the sources give elsewhere is not contradicted by another number in one sentence
    j = judge("The treaty was signed by 122 states in 1997",
              ["The treaty was signed by 122 states in 1997.", "By 2020, 164 states had ratified it."],
              source_numbers={"122", "1997", "164", "2020"})
    assert j.verdict == "supported"
    with pytest.raises(InputError):
        judge("the of and", ["x"])


def test_combine_verdicts():
    assert combine_verdicts(["supported", "supported"]) == "supported"
    assert combine_verdicts(["supported", "contradicted"]) == "contradicted"
    assert combine_verdicts(["supported", "not_in_sources"]) == "partly_supported"
    assert combine_verdicts(["not_in_sources"]) == "not_in_sources"
    assert combine_verdicts([]) == "not_in_sources"


def test_check_claim_rejects_empty(candidates):
    with pytest.raises(InputError):
        check_claim("  ", candidates)


# ---- evaluation on tiny self-written fixtures ---------------------------------------------------
def _is_metric(m) -> bool:
    return set(m) == {"value", "n"} and isinstance(m["value"], float) and isinstance(m["n"], int)


def test_evaluate_wice_fixture(hash_embedder):
    out = evaluate_wice(CLAIMS_ROOT, hash_embedder)
    for key in ("wice_verdict_accuracy_3way", "wice_balanced_accuracy", "wice_evidence_recall@5",
                "wice_evidence_recall@5_strict", "wice_evidence_recall@5_all_gold_sentences"):
        assert _is_metric(out[key]), key
    assert out["wice_verdict_accuracy_3way"]["n"] == 4
    assert out["wice_evidence_recall@5"] == {"value": 1.0, "n": 3}
    assert out["wice_balanced_accuracy"]["value"] == 1.0
    assert evaluate_wice(CLAIMS_ROOT, None, limit=2)["wice_verdict_accuracy_3way"]["n"] == 2


def test_evaluate_frank_fixture(hash_embedder):
    out = evaluate_frank(CLAIMS_ROOT, hash_embedder)
    assert _is_metric(out["frank_balanced_accuracy"]) and out["frank_balanced_accuracy"]["n"] == 4  # orphan skipped
    assert out["frank_balanced_accuracy"]["value"] == 1.0


def test_eval_missing_data(tmp_path):
    with pytest.raises(EvalDataError):
        evaluate_wice(tmp_path, None)
    with pytest.raises(EvalDataError):
        evaluate_frank(tmp_path, None)


def test_pooled_vectors_embed_only_the_lexical_pool(hash_embedder):
    texts = ["Mines are cheap.", "Drones are expensive.", "The weather was mild.", "Finland borders Russia."]
    vecs = pooled_vectors(["Are mines cheap?"], texts, hash_embedder, pool=1)
    assert vecs.shape == (4, hash_embedder.dim)
    assert [bool(vecs[i].any()) for i in range(4)] == [True, False, False, False]
    assert pooled_vectors(["x"], texts, None, pool=1) is None


def test_balanced_accuracy():
    assert balanced_accuracy([True, True, False, False], [True, False, False, False]) == 0.75
    assert balanced_accuracy([True, False], [True, True]) == 0.5


def test_subject_named_as_the_exception_contradicts():
    from debatebot.verify.claims import judge

    ev = ["The treaty has been ratified by 164 nations, including the UK and all NATO members except for the United States."]
    assert judge("The United States has ratified the treaty", ev).verdict == "contradicted"
    assert judge("The UK has ratified the treaty", ev).verdict == "supported"


@pytest.mark.parametrize(("claim", "expected"), [
    ("All 40 vineyards kept the new harvest rota", "contradicted"),
    ("Every one of the 40 vineyards would keep the new harvest rota", "contradicted"),
    ("None of the 40 vineyards would keep the new harvest rota", "contradicted"),
    ("33 of the 40 vineyards would keep the new harvest rota", "supported"),
])
def test_a_part_of_a_whole_is_not_all_of_it(claim, expected):
    """"33 of the 40" is not "all 40" (nor "none"): a count against its whole, compared exactly."""
    ev = ["The pilot ended in May, with 33 of the 40 participating vineyards saying they would keep the new harvest "
          "rota."]
    got = judge(claim, ev)
    assert got.verdict == expected, got
    if expected == "contradicted" and "None" not in claim:
        assert "33 of 40" in got.reason


def test_draft_items_include_spelled_out_figures():
    from debatebot.verify.draft import find_items

    draft = ("Harbour plan splits the council\n\nThe harbour walls stretch up to two kilometres into the bay. "
             "Critics worry.\n\n\"The plan will cost far more than promised,\" said Ada Brennan.\n")
    items = find_items(draft)
    claims = [it.text for it in items if it.kind == "claim"]
    quotes = [(it.text, it.speaker) for it in items if it.kind == "quote"]
    assert "The harbour walls stretch up to two kilometres into the bay." in claims
    assert "Critics worry." not in claims  # nothing checkable in it
    assert quotes == [("The plan will cost far more than promised,", "Ada Brennan")] or \
        quotes == [("The plan will cost far more than promised", "Ada Brennan")]
    for it in items:
        assert draft[it.start:it.end] == it.text


@pytest.mark.parametrize(("claim", "evidence"), [
    ("All 40 vineyards kept the rota", "All 40 vineyards kept the rota, and 12 of the 40 made it permanent."),
    ("The whole pilot ran for 6 months", "The pilot ran for 6 months; 4 of the 6 months fell in winter."),
])
def test_a_part_of_a_whole_needs_the_claims_all_on_that_whole(claim, evidence):
    """No contradiction when the source says "all" itself, or when "all" is not on the whole's number."""
    assert judge(claim, [evidence]).verdict != "contradicted"


# ---- explicit checks of 2026-12-07 (an invented second topic: a harbour ferry levy) -----------------------
LEVY = ("A survey by Northshore Polling found that 58 percent of residents supported the ferry levy, while 35 "
        "percent opposed it.")


@pytest.mark.parametrize(("claim", "evidence", "expected"), [
    ("A minority of residents supported the ferry levy.", LEVY, "contradicted"),
    ("Most residents opposed the ferry levy.", LEVY, "contradicted"),  # the share whose clause fits: 35
    ("Most residents supported the ferry levy.", LEVY, None),  # agrees with the share: no veto
    ("Most of the 40 operators have signed the charter.", "Only 9 of the 40 operators have signed the charter.",
     "contradicted"),
    ("Most ferry crossings are cancelled in winter.", "About a third of ferry crossings are cancelled in winter.",
     "contradicted"),
])
def test_a_minority_or_most_against_the_share_the_source_gives(claim, evidence, expected):
    got = judge(claim, [evidence])
    if expected is None:
        assert got.verdict != "contradicted", got
    else:
        assert got.verdict == expected, got
        assert "percent" in got.reason or "says" in got.reason


@pytest.mark.parametrize(("claim", "expected"), [
    ("Fares at the harbour ferries fell during the trial.", "contradicted"),  # "fell" of the other clause
    ("Fares at the harbour ferries rose during the trial.", "supported"),
])
def test_an_antonym_counts_in_its_own_slot_only(claim, expected):
    ev = "Fares at the harbour ferries rose by 4 percent during the trial, while complaints fell by a third."
    assert judge(claim, [ev]).verdict == expected


@pytest.mark.parametrize(("claim", "expected"), [
    ("Dr Ines Carvalho is a marine biologist in Porto.", "contradicted"),
    ("Dr Ines Carvalho is a marine biologist in Faro.", "supported"),
])
def test_another_name_in_the_claims_name_slot_contradicts(claim, expected):
    ev = "Dr Ines Carvalho, a marine biologist in Faro, said the levy had paid for two new pontoons."
    got = judge(claim, [ev])
    assert got.verdict == expected, got
    if expected == "contradicted":
        assert "Faro" in got.reason and "Porto" in got.reason


def test_supported_needs_every_name_and_number_of_the_claim():
    """The judge entails "in Seville" from "in Valencia" (94%); the claim's names must be in the evidence."""
    ev = "Vacancies fell by a similar proportion over the same period in Valencia, which has no such charge."
    got = judge("Vacancies fell by a similar proportion in Seville, which has no such charge.", [ev])
    assert got.verdict != "supported" and "Seville" in got.reason
    assert judge("Vacancies fell by a similar proportion in Valencia, which has no such charge.",
                 [ev]).details.get("check") != "names"


def test_a_claim_about_a_subject_the_sources_never_name_is_not_in_the_sources():
    from debatebot.core.text import SourceDocument
    from debatebot.verify.claims.check import unnamed_subject

    text = ("Denmark cut its stage grants by a fifth in 2016. Most theatres in Aarhus closed within three years. "
            "Revenue fell at every company.")
    doc = SourceDocument.from_text("levy.txt", text)
    cands = [EvidenceCandidate(text=text[s.start:s.end], doc="levy.txt", start=s.start, end=s.end)
             for s in doc.sentences]
    got = check_claim("Sweden cut its stage grants by a fifth in 2016.", cands, docs={"levy.txt": doc})
    assert got.verdict == "not_in_sources" and "Sweden" in got.claims[0].reason and not got.claims[0].evidence
    assert check_claim("Denmark cut its stage grants by a fifth in 2016.", cands, docs={"levy.txt": doc}).verdict \
        == "supported"
    docs = {"levy.txt": doc}
    assert unnamed_subject("Most theatres in Aarhus closed.", docs) is None  # "Most" is no name
    assert unnamed_subject("Revenue fell.", docs) is None
    assert unnamed_subject("Twelve companies closed.", docs) is None
    assert unnamed_subject("The Bundestag voted for the grants.", docs) == "Bundestag"


@pytest.mark.parametrize(("claim", "evidence", "expected"), [
    ("The harbour board will propose changes to the levy.", "The harbour board is reviewing the levy and could "
     "propose changes before the vote.", "partly_supported"),
    ("The harbour board has no plans to change the levy.", "The harbour board said it has no plans to change the "
     "levy this year.", "supported"),
])
def test_a_hedge_in_the_source_is_not_a_decision(claim, evidence, expected):
    assert judge(claim, [evidence]).verdict == expected


def test_the_learned_combination_ships_with_its_record_and_never_makes_supported():
    """The combination file loads with its record (train split, data hashes, seed); it may take back the
    rules' "supported" but never raise another verdict to it, and its verdict is recorded with the rules'."""
    from debatebot.verify.claims.combiner import FEATURES, combiner_path, features, get_combiner

    model = get_combiner()
    assert model is not None, combiner_path()
    rec = model.record
    assert rec["split"] == "train" and rec["claims"] >= 1000 and len(next(iter(rec["data"].values()))) == 64
    assert set(model.classes) == {"supported", "contradicted", "partly_supported", "not_in_sources"}
    sure = [{"verdict": "supported", "entailment": [0.97], "contradiction": [0.01], "coverage": 1.0, "check": None}]
    weak = [{"verdict": "partly_supported", "entailment": [0.99], "contradiction": [0.0], "coverage": 1.0,
             "check": None}]
    assert model.verdict("supported", features("supported", sure, False))[0] == "supported"
    for rule in ("partly_supported", "contradicted", "not_in_sources"):
        assert model.verdict(rule, features(rule, weak, False))[0] != "supported"
    assert len(features("supported", sure, False)) == len(FEATURES)


def test_a_check_records_the_rules_verdict_beside_the_combined_one(candidates):
    got = check_claim("164 nations ratified the Ottawa Convention", candidates)
    assert got.combination["rule"] in ("supported", "contradicted", "partly_supported", "not_in_sources")
    assert set(got.combination["probabilities"]) == {"supported", "contradicted", "partly_supported",
                                                     "not_in_sources"}
    assert got.to_json()["combination"]["features"]


# ---- the explicit checks that keep a false claim from "supported" (2026-12-08) ---------------------------
@pytest.mark.parametrize(("claim", "evidence", "says"), [
    # a negating prefix: the judge entails "constitutional" from "unconstitutional"
    ("The mayor said the ferry levy would be constitutional.",
     "The mayor told reporters that the ferry levy would be unconstitutional.", "negates"),
    # negation word by word: "lack" negates "money" in both, "no" negates "operator" in the source only
    ("Several island ferry operators have closed for lack of money since the levy began.",
     "Since the levy began, no island ferry operator has closed for lack of money.", "negates"),
    # a comparing function word against its opposite in the same slot
    ("Waiting times at the harbour are above 20 minutes at peak hours.",
     "Waiting times at the harbour remain below 20 minutes at peak hours, the port authority said.", "'below'"),
    # the opposite verb three words from the shared subject ("rate rose" / "rate continued to fall")
    ("The harbour's passenger rate rose after the new timetable.",
     "The harbour's passenger rate continued to fall, to 1.2 million in 2024, despite the new timetable.",
     "'fall'"),
    ("The levy bill would keep the islanders' right to a free crossing.",
     "The levy bill would remove the islanders' right to a free crossing.", "'remove'"),
])
def test_an_explicit_check_contradicts_what_the_judge_may_entail(claim, evidence, says):
    from debatebot.verify.claims.contradiction import number_conflict

    why = number_conflict(claim, evidence)
    assert why and says in why, why
    assert judge(claim, [evidence]).verdict == "contradicted"


@pytest.mark.parametrize(("claim", "evidence"), [
    ("The mayor said the ferry levy would be constitutional.", "The mayor said the ferry levy would be constitutional."),
    ("The levy would be unconstitutional.", "The mayor said the ferry levy would be unconstitutional."),
    ("No island ferry operator has closed for lack of money.",
     "Since the levy began, no island ferry operator has closed for lack of money."),
    ("Waiting times at the harbour are below 20 minutes.", "Waiting times at the harbour remain below 20 minutes."),
])
def test_the_same_statement_is_not_contradicted(claim, evidence):
    from debatebot.verify.claims.contradiction import number_conflict

    assert number_conflict(claim, evidence) is None


def test_a_number_the_sources_hold_elsewhere_still_contradicts_in_a_sentence_that_states_the_rest():
    """Only where that sentence names what the claim names and has the other number in the very slot: a claim
    with no name ("40 companies might close within two years") keeps the exemption."""
    claim = "The Harbour Line ferry trial ended in March 2023."
    evidence = ["The Harbour Line ferry trial ended in March 2025, after two years.",
                "The scheme that funded it was set up in 2023."]
    numbers = {"2025", "2023"}
    got = judge(claim, evidence, source_numbers=numbers)
    assert got.verdict == "contradicted" and "2025" in got.reason, got
    # a sentence about something else with another year does not
    assert judge("The scheme was set up in 2023.", evidence[::-1], source_numbers=numbers).verdict == "supported"


@pytest.mark.parametrize(("claim", "evidence"), [
    ("The port authority will lower the speed limit near the beach if the levy is renewed.",
     "The port authority said it could tighten its rules, including a lower speed limit near the beach, if the "
     "levy is renewed."),
    ("The council has passed the Harbour Access Amendment.",
     "The council is considering the Harbour Access Amendment, which would open the quay at night."),
])
def test_a_hedge_a_few_words_before_the_claims_words_or_names_is_no_decision(claim, evidence):
    from debatebot.verify.claims.verdict import hedged

    assert hedged(claim, evidence) in ("could", "considering")
    assert judge(claim, [evidence]).verdict == "partly_supported"


def test_no_hedge_in_the_month_may_or_in_a_sentence_that_states_little_of_the_claim():
    from debatebot.verify.claims.verdict import hedged

    assert hedged("The ferry trial ended in May with 30 of the 40 crews keeping the rota.",
                  "The ferry trial ended in May, with 30 of the 40 crews saying they would keep the rota.") is None
    assert hedged("40 islands ratified the Harbour Access Amendment.",
                  "Officials have suggested that leaving the Harbour scheme is an option.") is None


@pytest.mark.parametrize(("claim", "parts"), [
    ("Island ferries employ about 900 people and the levy is backed by the council",
     ["Island ferries employ about 900 people", "the levy is backed by the council"]),
    ("Crossings fell by a third in 2024, and licensed operators carry most of the freight",
     ["Crossings fell by a third in 2024", "licensed operators carry most of the freight"]),
    ("Fares rose in March, and fell back sharply in May", ["Fares rose in March, and fell back sharply in May"]),
])
def test_split_claim_finds_a_second_clause_after_an_unknown_verb(claim, parts):
    assert split_claim(claim) == parts


def test_words_said_by_another_speaker_are_misattributed_though_the_claimed_one_speaks_elsewhere():
    from debatebot.core.text import SourceDocument

    text = ("The island council voted on Tuesday to keep the ferry levy for five more years. "
            "“The levy has not emptied a single quay; it has filled them,” said Ana Ribeiro, the deputy mayor for "
            "transport. Tomas Lindqvist, a lawyer for the operators, said many owners were small family firms that "
            "could not afford both new boats and the levy.")
    doc = SourceDocument.from_text("ferry.txt", text)
    cands = [EvidenceCandidate(text=text[s.start:s.end], doc="ferry.txt", start=s.start, end=s.end)
             for s in doc.sentences]
    got = check_claim("Tomas Lindqvist said the levy had not emptied a single quay but had filled them.", cands,
                      docs={"ferry.txt": doc})
    assert got.verdict == "contradicted" and "Ana Ribeiro" in got.claims[0].reason, got.to_json()
    right = check_claim("Ana Ribeiro said the levy had not emptied a single quay but had filled them.", cands,
                        docs={"ferry.txt": doc})
    assert right.verdict == "supported", right.to_json()
