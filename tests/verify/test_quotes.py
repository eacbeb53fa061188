"""Quote verification: exact, altered, spliced, truncated, not found; offsets, diff, context,
speaker check; and the PolNeAR-format evaluation on a tiny hand-written fixture."""

from __future__ import annotations

import random

import pytest

from debatebot.core.errors import InputError
from debatebot.core.text import SourceDocument
from debatebot.verify.quotes import QuoteResult, QuoteVerifier
from tests.conftest import FIXTURES

REYNOLDS = "The military necessity part of the calculus is frankly terrifying"
LABIANCO = ("The humanitarian toll of deploying landmines is massive and can never be outweighed by the alleged "
            "military utility of such weapons")
WILCKEN = ("Anti-personnel landmines are inherently inhumane and indiscriminate weapons that have caused untold "
           "suffering around the world.")


@pytest.fixture
def verifier(seed_doc):
    return QuoteVerifier([seed_doc])


def _check_offsets(res: QuoteResult, doc: SourceDocument) -> None:
    assert res.match is not None
    assert res.match.text == doc.text[res.match.start : res.match.end]
    assert res.context is not None
    assert res.context.start <= res.match.start and res.match.end <= res.context.end
    assert res.context.text == doc.text[res.context.start : res.context.end]


# ---- exact ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("quote", [
    REYNOLDS,
    f"“{REYNOLDS},”",
    f'"{REYNOLDS}."',
    REYNOLDS.lower().replace("the military", "the military", 1),  # first letter lowered
    "  The military   necessity part of the calculus\nis frankly terrifying ",
    WILCKEN,
    "In providing these landmines, the United States is… choosing the lesser of two evils.",
    "In providing these landmines, the United States is... choosing the lesser of two evils.",
    "The UK strongly supports the Ottawa treaty's role in protecting civilians",  # straight apostrophe
    "largely banned under the Ottawa Convention - an agreement that has been ratified by 164 nations",  # dash
    "largely banned under the Ottawa Convention–an agreement that has been ratified by 164 nations",
])
def test_exact_variants(verifier, seed_doc, quote):
    res = verifier.verify(quote)
    assert res.verdict == "exact", res.explanation
    _check_offsets(res, seed_doc)
    assert res.coverage == 1.0


def test_exact_with_ellipsis_omission(verifier, seed_doc):
    res = verifier.verify("The humanitarian toll of deploying landmines is massive … can never be outweighed")
    assert res.verdict == "exact"
    assert any(d["op"] == "omitted" for d in res.diff)
    _check_offsets(res, seed_doc)


def test_ellipsis_into_next_sentence_is_exact(verifier):
    res = verifier.verify("Anti-personnel landmines are inherently inhumane … No technological fixes can resolve "
                          "this fundamental issue.")
    assert res.verdict == "exact"


def test_match_is_the_source_slice_and_speaker(verifier, seed_doc):
    res = verifier.verify(REYNOLDS, speaker="Reynolds")
    assert res.match.text == REYNOLDS
    assert res.match.doc == seed_doc.doc_id
    assert res.match.paragraph == seed_doc.paragraph_at(res.match.start)
    assert res.speaker.actual == "Nick Reynolds"
    assert res.speaker.verdict == "correct"
    assert REYNOLDS in res.context.text and "he stated" in res.context.text


# ---- altered -------------------------------------------------------------------------------------
def test_substituted_word_gives_replace_diff(verifier):
    res = verifier.verify(REYNOLDS.replace("frankly", "truly"))
    assert res.verdict == "altered"
    assert {"op": "replace", "source": "frankly", "quote": "truly"} in res.diff
    assert "frankly" in res.explanation and "truly" in res.explanation


def test_dropped_negation_is_altered(verifier):
    res = verifier.verify("The humanitarian toll of deploying landmines is massive and can be outweighed")
    assert res.verdict == "altered"
    assert {"op": "delete", "source": "never", "quote": ""} in res.diff


def test_inserted_word_is_altered(verifier):
    res = verifier.verify("The military necessity part of the calculus is frankly very terrifying")
    assert res.verdict == "altered"
    assert {"op": "insert", "source": "", "quote": "very"} in res.diff


def test_changed_first_word_is_altered(verifier):
    res = verifier.verify("A military necessity part of the calculus is frankly terrifying")
    assert res.verdict == "altered"


def test_case_change_inside_quote_is_not_exact(verifier):
    res = verifier.verify("The Military Necessity part of the calculus is frankly terrifying")
    assert res.verdict == "altered"


def test_random_single_word_changes_are_never_exact(seed_doc, verifier):
    rng = random.Random(7)
    sents = [seed_doc.sentence_text(s) for s in seed_doc.sentences if len(seed_doc.sentence_text(s).split()) >= 6]
    for sent in sents[:20]:
        words = sent.split()
        i = rng.randrange(1, len(words) - 1)
        for variant in (words[:i] + ["banana"] + words[i + 1:], words[:i] + ["banana"] + words[i:],
                        words[:i] + words[i + 1:]):
            text = " ".join(variant)
            if " ".join(w.lower() for w in variant) in seed_doc.text.lower():
                continue
            assert verifier.verify(text).verdict != "exact", text


# ---- spliced -------------------------------------------------------------------------------------
def test_splice_of_non_adjacent_sentences(verifier):
    res = verifier.verify("What we are witnessing on the modern battlefield is that the combination of artillery "
                          "and landmines is frankly terrifying")
    assert res.verdict == "spliced"
    assert len(res.pieces) == 2


def test_splice_with_ellipsis_across_paragraphs_is_spliced(verifier):
    res = verifier.verify("Anti-personnel landmines are inherently inhumane … the military necessity part of "
                          "the calculus is frankly terrifying")
    assert res.verdict == "spliced"


def test_splice_across_documents(seed_doc):
    other = SourceDocument.from_text("other.txt", "Officials met in Geneva on Friday. Nothing was agreed by "
                                     "the delegates after a long and bitter day of talks.")
    v = QuoteVerifier([seed_doc, other])
    res = v.verify("The UK strongly supports the Ottawa treaty’s role Nothing was agreed by the delegates")
    assert res.verdict == "spliced"
    assert {p.doc for p in res.pieces} == {seed_doc.doc_id, "other.txt"}


# ---- truncated -----------------------------------------------------------------------------------
def test_ellipsis_hiding_negation_is_truncated(verifier):
    res = verifier.verify("The humanitarian toll of deploying landmines is massive and can … be outweighed")
    assert res.verdict == "truncated"
    assert "never" in res.explanation


def test_fragment_after_whether_is_truncated(verifier):
    res = verifier.verify("any form of landmine can ever be considered safe")
    assert res.verdict == "truncated"


def test_fragment_after_no_consensus_is_truncated():
    doc = SourceDocument.from_text("d.txt", "Analysts disagree. There is no consensus that the military necessity "
                                   "for European forces to deploy landmines is becoming increasingly urgent.")
    res = QuoteVerifier([doc]).verify("the military necessity for European forces to deploy landmines is becoming "
                                      "increasingly urgent")
    assert res.verdict == "truncated"
    assert "no consensus" in res.explanation


def test_fragment_before_unless_is_truncated():
    doc = SourceDocument.from_text("d.txt", "Minister Ana Ruiz said: “Mines will be deployed on the border unless "
                                   "the talks succeed this spring.”")
    res = QuoteVerifier([doc]).verify("Mines will be deployed on the border")
    assert res.verdict == "truncated"


def test_growing_consensus_fragment_is_not_truncated_but_reported_speech(verifier):
    # "Reynolds noted that … there is a growing consensus that <these words>": no negation frame (not
    # truncated), and the words are the article's account of what Reynolds said, not his quoted words
    res = verifier.verify("the military necessity for European forces to deploy landmines is becoming "
                          "increasingly urgent")
    assert res.verdict == "not_quoted"
    assert "Nick Reynolds" in res.explanation


# ---- reported speech is not a quotation (a second topic) ------------------------------------------
_HARBOUR = ("Harbour tolls rose in March, the port authority said. Mayor Ines Duarte says she opposes the new "
            "ferry fares but that the council's plan will not help commuters. “We will fight this in court,” "
            "Duarte said. The ferry carries 9,000 passengers a day.")


def test_words_the_source_reports_are_not_a_quotation():
    v = QuoteVerifier([SourceDocument.from_text("harbour.txt", _HARBOUR)])
    res = v.verify("opposes the new ferry fares", speaker="Ines Duarte")
    assert res.verdict == "not_quoted" and "Ines Duarte" in res.explanation
    assert v.verify("We will fight this in court", speaker="Ines Duarte").verdict == "exact"
    # narration no one is said to speak is the article's own words: quoted as they stand
    assert v.verify("The ferry carries 9,000 passengers a day").verdict == "exact"


def test_a_document_without_quotation_marks_is_quoted_as_it_stands():
    text = "Mayor Ines Duarte says she opposes the new ferry fares. The ferry carries 9,000 passengers a day."
    v = QuoteVerifier([SourceDocument.from_text("transcript.txt", text)])
    assert v.verify("she opposes the new ferry fares").verdict == "exact"


# ---- speech tags ---------------------------------------------------------------------------------
def test_speech_tag_between_quoted_stretches_may_be_left_out():
    text = "“We will not give up,” Mayor Lee said on Monday. “The town deserves better than this.”"
    doc = SourceDocument.from_text("d.txt", text)
    v = QuoteVerifier([doc])
    assert v.verify("We will not give up, the town deserves better than this").verdict == "exact"
    assert v.verify("We will not give up, the town deserves more than this").verdict == "altered"


def test_narration_word_between_quoted_phrases_is_a_dropped_word():
    doc = SourceDocument.from_text("d.txt", 'Ryan said all Americans should engage in "more listening" and '
                                   '"more learning" this year.')
    v = QuoteVerifier([doc])
    assert v.verify('"more listening" and "more learning"').verdict == "exact"
    assert v.verify('"more listening" "more learning"').verdict == "altered"


# ---- not found, errors ---------------------------------------------------------------------------
def test_not_found_lists_nearest_passages(verifier, seed_doc):
    res = verifier.verify("Drones have made landmines obsolete in every modern war")
    assert res.verdict == "not_found"
    assert res.match is None
    for n in res.nearest:
        assert n.text == seed_doc.text[n.start : n.end]
    assert res.explanation


def test_never_seen_words_not_found(verifier):
    res = verifier.verify("zxq qwv plorf")
    assert res.verdict == "not_found" and res.nearest == []


@pytest.mark.parametrize("bad", ["", "   ", "“ … ”", "!!"])
def test_empty_quotes_raise_input_error(verifier, bad):
    with pytest.raises(InputError):
        verifier.verify(bad)


def test_empty_corpus_is_not_found():
    assert QuoteVerifier([]).verify("anything at all here").verdict == "not_found"


# ---- speaker check -------------------------------------------------------------------------------
@pytest.mark.parametrize("quote,claimed,verdict", [
    (LABIANCO, "Riccardo Labianco", "correct"),
    (LABIANCO, "Dr. Labianco", "correct"),
    (LABIANCO, "Nick Reynolds", "misattributed"),
    (WILCKEN, "wilcken", "correct"),
    (WILCKEN, "James Cowan", "misattributed"),
    ("most Western nations have dismantled their stockpiles", "Reynolds", "unattributed"),
    (REYNOLDS, None, "not_checked"),
    ("most Western nations have dismantled their stockpiles", None, "unattributed"),
])
def test_speaker_verdicts(verifier, quote, claimed, verdict):
    res = verifier.verify(quote, speaker=claimed)
    assert res.speaker.verdict == verdict
    if verdict == "misattributed":
        assert res.speaker.actual and res.speaker.actual in res.explanation


def test_result_serialises_for_the_renderer(verifier):
    data = verifier.verify(REYNOLDS.replace("frankly", "truly"), "Reynolds").model_dump(mode="json")
    assert data["verdict"] == "altered"
    assert {"text", "doc", "start", "end", "paragraph"} <= set(data["match"])
    assert {"claimed", "actual", "verdict"} <= set(data["speaker"])
    assert all({"op", "source", "quote"} <= set(d) for d in data["diff"])


# ---- evaluation ----------------------------------------------------------------------------------
def test_evaluate_quotes_on_fixture():
    from debatebot.evaluation.quote_eval import evaluate_quotes

    out = evaluate_quotes(FIXTURES / "quotes")
    assert out["quote_exact_real"] == {"value": 1.0, "n": 5}
    assert out["altered_called_exact"]["value"] == 0
    assert out["altered_called_exact"]["n"] > 0
    assert out["quote_altered_not_exact"]["value"] == 1.0
    assert out["attribution_skipped"]["value"] == 1  # the "he" row
    assert out["attribution_real_correct"] == {"value": 1.0, "n": 4}
    assert out["attribution_accuracy"]["value"] >= 0.9
    for name, m in out.items():
        if isinstance(m, dict) and "value" in m:
            assert "n" in m, name


def test_evaluate_quotes_limit_and_missing_data(tmp_path):
    from debatebot.core.errors import EvalDataError
    from debatebot.evaluation.quote_eval import evaluate_quotes

    assert evaluate_quotes(FIXTURES / "quotes", limit=2)["quote_exact_real"]["n"] == 2
    with pytest.raises(EvalDataError):
        evaluate_quotes(tmp_path)
