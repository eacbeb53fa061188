"""Speaker attribution by news-writing conventions, and speaker-name matching."""

from __future__ import annotations

import pytest

from debatebot.text import SourceDocument
from debatebot.verify.speakers import attribute, quote_intervals, same_speaker


def _who(doc: SourceDocument, fragment: str) -> str | None:
    i = doc.text.index(fragment)
    return attribute(doc, i, i + len(fragment)).speaker


@pytest.mark.parametrize("fragment,speaker", [
    ("military necessity part of the calculus is frankly terrifying", "Nick Reynolds"),  # “…,” he stated
    ("The humanitarian toll of deploying landmines", "Riccardo Labianco"),
    ("Accepting that current circumstances can alter", "Riccardo Labianco"),  # continues his quotation
    ("Anti-personnel landmines are inherently inhumane", "Patrick Wilcken"),  # X, a researcher, asserted, “…”
    ("No technological fixes can resolve", "Patrick Wilcken"),  # second sentence of the same quotation
    ("In providing these landmines, the United States is", "James Cowan"),  # …, saying, “…”
    ("What we are witnessing on the modern battlefield", "Nick Reynolds"),  # Reynolds remarked, “…”
    ("The UK strongly supports the Ottawa treaty", "UK Foreign Office"),  # organisation, stating, “…”
    ("European NATO members, facing uncertainties", "Nick Reynolds"),  # He added that … (reported)
])
def test_seed_article_speakers(seed_doc, fragment, speaker):
    got = _who(seed_doc, fragment)
    assert got is not None and same_speaker(speaker, got), got


def test_seed_attribution_details(seed_doc):
    i = seed_doc.text.index("The military necessity part")
    att = attribute(seed_doc, i, i + 20)
    assert att.mention == "he" and att.cue == "stated"
    assert seed_doc.text[att.mention_start : att.mention_end] == "he"
    assert att.kind == "person"


def test_narration_without_speaker_is_unattributed(seed_doc):
    assert _who(seed_doc, "most Western nations have dismantled their stockpiles") is None


@pytest.mark.parametrize("text,fragment,speaker", [
    ("“We will win,” said Maria Lopez, a spokeswoman for the campaign.", "We will win", "Maria Lopez"),
    ("“We will win,” Lopez, a spokeswoman for the campaign, said on Monday.", "We will win", "Lopez"),
    ("“It is over,” Trump lawyer Marc Kasowitz said.", "It is over", "Marc Kasowitz"),
    ("The plan is dead, according to Senator Amy Park.", "The plan is dead", "Amy Park"),
    ("According to the Defence Ministry, “the mines are already in place.”", "the mines are already", "Defence Ministry"),
    ("Okafor: “We never agreed to that.”", "We never agreed", "Okafor"),
    ("“Nobody wants this war.” ― Lena Kowalski", "Nobody wants this war", "Lena Kowalski"),
    ("“Does anybody know the answer?” Graham asked. “Neither do I.”", "Neither do I", "Graham"),
    ("Jan Novak spoke first.\n\n“We will rebuild,” he said.", "We will rebuild", "Jan Novak"),
    ("Ann Lee, who chairs the panel, told reporters: “The vote is on Friday.”", "The vote is on Friday", "Ann Lee"),
])
def test_patterns(text, fragment, speaker):
    doc = SourceDocument.from_text("d.txt", text)
    got = _who(doc, fragment)
    assert got is not None and same_speaker(speaker, got), got


def test_surname_expands_to_full_name():
    doc = SourceDocument.from_text("d.txt", "Nick Reynolds works at RUSI. Later, Reynolds remarked, “Mines are back.”")
    assert _who(doc, "Mines are back") == "Nick Reynolds"


def test_quote_intervals_handle_nesting_and_straight_quotes():
    doc = SourceDocument.from_text("d.txt", 'He said “I call it “hell” and mean it.” Then "yes," she said.')
    spans = [doc.text[a:b] for a, b in quote_intervals(doc)]
    assert spans == ["“I call it “hell” and mean it.”", '"yes,"']


@pytest.mark.parametrize("claimed,actual,same", [
    ("Reynolds", "Nick Reynolds", True),
    ("nick reynolds", "Nick Reynolds", True),
    ("Dr. Labianco", "Riccardo Labianco", True),
    ("Prof. David Galbreath", "David Galbreath", True),
    ("Mr. Obama", "Barack Obama", True),
    ("House Speaker Paul D. Ryan (R-Wis.)", "Ryan", True),
    ("Sen. Bernie Sanders (Vt.), who lost the primaries,", "Bernie Sanders", True),
    ("Clinton campaign manager Robby Mook", "Robby Mook", True),
    ("the UK Foreign Office", "UK Foreign Office", True),
    ("Hillary Clinton", "Bill Clinton", False),
    ("James Cowan", "Nick Reynolds", False),
    ("Reynolds", "he", False),
    ("", "Nick Reynolds", False),
])
def test_same_speaker(claimed, actual, same):
    assert same_speaker(claimed, actual) is same
