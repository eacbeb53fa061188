"""Speaker attribution by news-writing conventions, and speaker-name matching."""

from __future__ import annotations

import pytest

from debatebot.core.text import SourceDocument
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
    # an uncued quotation inside a sentence is its subject's words (an apposition name after a role)
    ("Mayor Ines Duarte openly calls the levy a “fair price for clean air,” and wants more.", "fair price", "Ines Duarte"),
    ("Another critic, Tomas Berg, likened the rules to “burning the rulebook” in a letter.", "burning the rulebook",
     "Tomas Berg"),
    ("“The data are clear,” said BBC host Clara Voss. “Cities gain.”", "The data are clear", "Clara Voss"),
    ("Sen. Ruth Okoro scolded him: “The evidence is against you.”", "The evidence is against", "Ruth Okoro"),
    ("“We are done,” said Del. Stacey Plaskett of the Virgin Islands.", "We are done", "Stacey Plaskett"),
    ("Footage showed Omar Haddad saying “that makes me smart” on stage.", "that makes me smart", "Omar Haddad"),
    ("“Workers were rested, and output held up,” said Ann Lee, a researcher.\n\nShe added that staff slept more.",
     "staff slept more", "Ann Lee"),  # the pronoun's antecedent is the speaker, not words inside the quotation
    ("In an attempt to make its point, the Harbour Times focuses on how fast the water rose: “In two hours the "
     "quay was gone.”", "In two hours", "Harbour Times"),  # the name, not "Harbour Times focuses"
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
    ("Cameron Easley", "Cameron Easley for Morning Consult", True),  # the finder's phrase runs on
    ("Protesters", "Protesters marching through the streets", True),
    ("Officials at Harbour Safety Investigations, a unit of the port,", "Officials at Harbour Safety", True),
    ("His former partner at Lenox, Lawrence B. Cummings,", "Lawrence B. Cummings", True),
    ("House Speaker Paul Ryan, R-Wis.,", "House Speaker Paul Ryan", True),
    ("Trump and his aides", "Trump and", True),
    ("Cameron Easley", "Cameron Diaz", False),
    ("Amnesty's Patrick Wilcken", "Patrick Wilcken", True),
    ("Amnesty's Patrick Wilcken", "James Cowan", False),
    ("Protesters", "Police", False),
    ("", "Nick Reynolds", False),
])
def test_same_speaker(claimed, actual, same):
    assert same_speaker(claimed, actual) is same


@pytest.mark.parametrize("text,fragment", [
    ("CONGRESS HAS INVESTIGATED HIM — his advice earned attention, and for saying it was a “magic cure” he "
     "was scolded.", "magic cure"),  # an all-capitals heading is nobody
    ("War and Peace.\n\nEliminating “the scourge of war” is an original goal.", "the scourge of war"),  # a heading
    ("At the convention his aides forced a change in the platform, stripping out a call for “lethal aid” and "
     "replacing it with language calling for “appropriate assistance.”", "appropriate assistance"),
    ("Proponents of the plan point to new meters.\n\nInnovations such as “smart” meters, which switch off after "
     "a set period, are being discussed.", "smart"),  # sentence-initial nouns are not names
])
def test_no_heading_or_participle_as_speaker(text, fragment):
    doc = SourceDocument.from_text("d.txt", text)
    got = _who(doc, fragment)
    assert got is None or got.lower() not in {"congress", "war", "stripping out a call", "innovations such as",
                                              "proponents"}, got


def test_mention_never_includes_the_quotation():
    doc = SourceDocument.from_text("d.txt", "Ana Ruiz waved.\n\n“You winning?” she said, but Kevin was asleep.")
    i = doc.text.index("You winning")
    att = attribute(doc, i, i + 11)
    assert att.mention == "she" and att.speaker == "Ana Ruiz"


@pytest.mark.parametrize("name", ["Geneva Protocol", "Paris Accord", "Fisheries Charter"])
def test_a_named_instrument_is_no_person(name):
    text = f"The {name} states: “Catches fall by half within ten years.”"
    doc = SourceDocument.from_text("d.txt", text)
    i = text.index("Catches")
    att = attribute(doc, i, i + len("Catches fall by half"))
    assert att is not None and same_speaker(name, att.speaker), att
    assert att.kind == "organisation"  # a pact or a law, not a person


@pytest.mark.parametrize("text", ["Senior officials in Lisbon have even suggested that the fleet could be sold.",
                                  "Several growers said the frost came early."])
def test_a_capitalised_word_opening_a_description_is_no_name(text):
    """"Senior officials…": the sentence's first word is capitalised because it opens the sentence;
    the speaker is a description (no person to name), not a person called "Senior"."""
    doc = SourceDocument.from_text("d.txt", text)
    att = attribute(doc, 0, len(text))
    assert att.speaker is None or " " in att.speaker, att
    assert att.kind != "person", att


def test_a_name_opening_the_sentence_is_still_a_name():
    text = "Okafor reports that the fleet could be sold. Later, Okafor left the port."
    att = attribute(SourceDocument.from_text("d.txt", text), 0, text.index(" Later"))
    assert att.speaker == "Okafor" and att.kind == "person", att


@pytest.mark.parametrize(("claim", "expected"), [
    ("Fleets that sail at night catch more cod, Ines Duarte said", ("Ines Duarte", "Fleets that sail at night catch more cod")),
    ("Ines Duarte said that fleets that sail at night catch more cod", ("Ines Duarte", "fleets that sail at night catch more cod")),
    ("According to the Harbour Board, catches fell by a third", ("Harbour Board", "catches fell by a third")),
    ("Catches fell by a third", None),
    ("He said catches fell by a third", None),  # a pronoun names no one
])
def test_reported_speech_splits_the_speaker_from_the_words(claim, expected):
    from debatebot.verify.reported import reported_speech

    got = reported_speech(claim)
    assert got == expected if expected is None else (got is not None and same_speaker(expected[0], got[0])
                                                     and got[1] == expected[1]), got


def test_with_speaker_named_replaces_a_pronoun_speaker_only():
    from debatebot.verify.reported import with_speaker_named

    text = ("Ines Duarte, who chairs the Harbour Board, spoke on Monday. “Night fleets catch more cod,” she said. "
            "She left early.")
    doc = SourceDocument.from_text("d.txt", text)
    quote = next(s for s in doc.sentences if "Night fleets" in doc.text[s.start:s.end])
    assert with_speaker_named(doc, quote.start, quote.end) == "“Night fleets catch more cod,” Ines Duarte said."
    first = doc.sentences[0]
    assert with_speaker_named(doc, first.start, first.end) == doc.text[first.start:first.end]


@pytest.mark.parametrize("claim", ["Ines Duarte did not say that night fleets catch more cod",
                                   "Ines Duarte denied that night fleets catch more cod",
                                   "Ines Duarte never said night fleets catch more cod",
                                   "Ines Duarte began the survey in 2019 at the harbour",
                                   "Ines Duarte and Tomas Riva said night fleets catch more cod"])
def test_no_speech_frame_when_the_words_are_denied_or_not_words(claim):
    from debatebot.verify.reported import reported_speech

    assert reported_speech(claim) is None


def test_told_someone_that_keeps_the_listener_out_of_the_words():
    from debatebot.verify.reported import reported_speech

    got = reported_speech("Ines Duarte told the Harbour Board that night fleets catch more cod")
    assert got is not None and got[1] == "night fleets catch more cod", got


# ---- names a reader believes (issue: "Florida Marco Rubio", "— Baltic", "— Roseburg", "The study") ------
from debatebot.verify.speakers import person_name, shown_speaker  # noqa: E402


@pytest.mark.parametrize("written,name", [
    ("Florida Sen. Marco Rubio", "Marco Rubio"),
    ("Former Arkansas Gov. Mike Huckabee", "Mike Huckabee"),
    ("House Speaker Paul Ryan", "Paul Ryan"),
    ("Senator John Cornyn of Texas", "John Cornyn"),
    ("Ronald Reagan's former education secretary William J. Bennett", "William J. Bennett"),
    ("Dr. Ines Duarte", "Ines Duarte"),
    ("Obama and Vice President Joe Biden", "Obama and Vice President Joe Biden"),  # two people: as written
    ("Ines Duarte", "Ines Duarte"),
])
def test_a_description_before_a_name_is_not_part_of_it(written, name):
    assert person_name(written) == name


# a second topic, written for the tests: ferry fares in a harbour town
FERRY = SourceDocument.from_text("ferry.txt", (
    "Ferry fares split Marlow as the council votes\n\n"
    "Oregon Rep. Dana Whitfield says the new fares will empty the island. Whitfield told reporters that "
    "commuters could not pay twice as much. Following a storm last year in Marlow, Ore., she issued a statement "
    "calling for a cap on the fares.\n\n"
    "Leaders of the neighbouring Baltic ports have watched the vote. The study cautioned that the ferry "
    "would lose money without the rise. A recent report from the Harbour Finance Institute recommended a "
    "smaller rise. Campaigners said the council had not listened. Commuters Anna Berg and Tomas Lind "
    "signed the letter. “We will fight this in court,” said Anna Berg."))


def _shown(doc: SourceDocument, fragment: str) -> str | None:
    i = doc.text.index(fragment)
    return shown_speaker(doc, attribute(doc, i, i + len(fragment)))


@pytest.mark.parametrize("fragment,shown", [
    ("says the new fares will empty the island", "Dana Whitfield"),  # not "Oregon Dana Whitfield"
    ("commuters could not pay twice as much", "Dana Whitfield"),
    ("calling for a cap on the fares", "Dana Whitfield"),  # the pronoun goes on from the subject, not to the town "Marlow"
    ("have watched the vote", None),  # "Baltic" only ever qualifies a noun
    ("would lose money without the rise", None),  # "The study": a description
    ("recommended a smaller rise", "Harbour Finance Institute"),  # "A recent report from X": X
    ("the council had not listened", None),  # "Campaigners": a sentence-initial common noun
    ("We will fight this in court", "Anna Berg"),
])
def test_speaker_labels_name_a_person_or_an_organisation(fragment, shown):
    assert _shown(FERRY, fragment) == shown
