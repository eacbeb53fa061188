from debatebot.core.text import SourceDocument, normalize, normalize_with_map, split_paragraphs


def test_seed_offsets_round_trip(seed_doc, seed_text):
    assert seed_doc.text == seed_text
    assert len(seed_doc.paragraphs) == 20
    assert len(seed_doc.sentences) > 40
    for s in seed_doc.sentences:
        piece = seed_text[s.start : s.end]
        assert piece == piece.strip() and piece
        p = seed_doc.paragraphs[s.paragraph]
        assert p.start <= s.start < s.end <= p.end


def test_sentences_respect_abbreviations_and_quotes(seed_doc):
    texts = [seed_doc.sentence_text(s) for s in seed_doc.sentences]
    assert any(t.startswith("While the U.S. is not a signatory") for t in texts)
    assert any(t.startswith("Dr. Riccardo Labianco") for t in texts)
    assert any("“Stop! Mines” sign" in t for t in texts)


def test_curly_quotes_dashes_nbsp_offsets():
    text = "Title line\n\nHe said \u201cwe\u00a0will \u2014 never\u201d go.  Then \u2018she\u2019 left!\n\nSecond para."
    doc = SourceDocument.from_text("x.txt", text)
    assert [text[p.start : p.end] for p in doc.paragraphs] == [
        "Title line", "He said \u201cwe\u00a0will \u2014 never\u201d go.  Then \u2018she\u2019 left!", "Second para."]
    sents = [doc.sentence_text(s) for s in doc.sentences]
    assert sents[1] == "He said \u201cwe\u00a0will \u2014 never\u201d go."
    norm = normalize_with_map(text)
    i = norm.text.index('"we will - never"')
    a, b = norm.span(i, i + len('"we will - never"'))
    assert text[a:b] == "\u201cwe\u00a0will \u2014 never\u201d"
    assert normalize(text[a:b]) == '"we will - never"'


def test_paragraphs_one_per_line_without_blank_lines():
    ps = split_paragraphs("a\nb\n\n")
    assert len(ps) == 2


def test_title_guess(seed_doc):
    assert seed_doc.title.startswith("Experts Urge Britain")
    assert SourceDocument.from_text("dir/my_notes.txt", "A sentence. Another one.").title == "my notes"


def test_title_is_a_short_first_line_even_with_a_full_stop():
    from debatebot.core.text import guess_title

    assert guess_title("Mayor closes the old bridge.\n\nThe mayor said on Monday that it will close.", "up/x_y.txt") \
        == "Mayor closes the old bridge"
    assert guess_title("Harbour plan\n\nText.", "up/x.txt") == "Harbour plan"
    # a first line that is running prose is no title: the file name stands in
    assert guess_title("The mayor said on Monday that the bridge will close. It was damaged.\nMore.",
                       "up/bridge_report.txt") == "bridge report"
