"""The citation guard: verbatim quotes kept with exact offsets, near misses repaired only when
unambiguous, fabrications and citations of unretrieved passages removed with a notice."""

from __future__ import annotations

import time

import pytest

from debatebot.answers.guard import (
    UNVERIFIED_FLAG,
    check_markdown_quotes,
    clean_quote,
    flag_unverified_quotes,
    guard_quotes,
    locate,
)
from debatebot.core.models import Passage, Point, Quote
from debatebot.core.text import SourceDocument

TERRIFYING = "The military necessity part of the calculus is frankly terrifying"


def passages_of(doc: SourceDocument) -> list[Passage]:
    """One passage per paragraph, ids "c0", "c1"...; label P{n} = paragraph n-1."""
    return [Passage(id=f"c{p.index}", text=doc.text[p.start:p.end], doc=doc.doc_id, paragraph=p.index,
                    paragraph_end=p.index, start=p.start, end=p.end) for p in doc.paragraphs]


@pytest.fixture
def world(seed_doc):
    return passages_of(seed_doc), {seed_doc.doc_id: seed_doc}, seed_doc


def para_with(doc: SourceDocument, needle: str) -> int:
    return next(p.index for p in doc.paragraphs if needle in doc.text[p.start:p.end])


def one(text: str, pid: str) -> list[Point]:
    return [Point(claim="claim", quotes=[Quote(text=text, doc="", start=0, end=0, passage_id=pid)])]


def assert_exact_slice(q: Quote, docs) -> None:
    assert q.text == docs[q.doc].text[q.start:q.end]


def test_exact_quote_gets_offsets(world):
    ps, docs, doc = world
    pid = f"c{para_with(doc, 'frankly terrifying')}"
    r = guard_quotes(one(TERRIFYING, pid), ps, docs)
    q = r.points[0].quotes[0]
    assert r.checks[0].status == "exact" and r.notices == []
    assert q.text == TERRIFYING and q.doc == doc.doc_id and q.passage_id == pid
    assert_exact_slice(q, docs)
    assert q.paragraph == para_with(doc, "frankly terrifying")


def test_curly_quote_dash_space_and_first_letter_case_variants_are_verbatim(world):
    ps, docs, doc = world
    pid = f"c{para_with(doc, 'Ottawa Convention—an agreement')}"
    variant = "“The Ottawa Convention -  an agreement that has been ratified by 164 nations”"
    r = guard_quotes(one(variant, pid), ps, docs)
    q = r.points[0].quotes[0]
    assert r.checks[0].status == "normalized" and r.notices == []
    assert q.text == "the Ottawa Convention—an agreement that has been ratified by 164 nations"
    assert_exact_slice(q, docs)
    # Vladimir Putin’s (curly apostrophe in the source) quoted with a straight one
    pid2 = f"c{para_with(doc, 'Putin’s aggressive')}"
    r2 = guard_quotes(one("Vladimir Putin's aggressive military strategies", pid2), ps, docs)
    assert r2.points[0].quotes[0].text == "Vladimir Putin’s aggressive military strategies"


def test_near_miss_is_replaced_by_the_source_text_with_a_notice(world):
    ps, docs, doc = world
    pid = f"c{para_with(doc, 'frankly terrifying')}"
    r = guard_quotes(one("The military necessity part of the calculus is frankly frightening", pid), ps, docs)
    q = r.points[0].quotes[0]
    assert r.checks[0].status == "repaired"
    assert q.text == TERRIFYING
    assert_exact_slice(q, docs)
    assert len(r.notices) == 1 and "replaced by the source text" in r.notices[0] and "frightening" in r.notices[0]


def test_dropped_word_is_repaired_to_the_whole_source_span(world):
    ps, docs, doc = world
    pid = f"c{para_with(doc, 'frankly terrifying')}"
    r = guard_quotes(one("The military necessity part of the calculus is terrifying", pid), ps, docs)
    assert r.points[0].quotes[0].text == TERRIFYING


def test_fabricated_quote_is_removed_with_a_notice(world):
    ps, docs, doc = world
    pid = f"c{para_with(doc, 'frankly terrifying')}"
    pts = [Point(claim="a", quotes=[Quote(text="Mines are obsolete now that drones exist everywhere", doc="", start=0,
                                          end=0, passage_id=pid),
                                    Quote(text=TERRIFYING, doc="", start=0, end=0, passage_id=pid)])]
    r = guard_quotes(pts, ps, docs)
    assert [q.text for q in r.points[0].quotes] == [TERRIFYING]
    assert r.summary == {"verified": 1, "repaired": 0, "removed": 1}
    assert any("Removed a quotation" in n and "drones" in n for n in r.notices)


def test_quote_from_another_passage_than_cited_is_not_accepted(world):
    ps, docs, doc = world
    other = f"c{para_with(doc, 'ratified by 164')}"
    r = guard_quotes(one(TERRIFYING, other), ps, docs)
    assert r.points == [] and r.checks[0].status == "removed"


def test_citation_of_unretrieved_passage_is_dropped_and_unsupported_point_removed(world):
    ps, docs, _ = world
    r = guard_quotes(one(TERRIFYING, "P99"), ps, docs)
    assert r.points == []
    assert r.checks[0].status == "unknown_passage"
    assert any("P99" in n and "not among the retrieved" in n for n in r.notices)
    assert any("Removed the point" in n for n in r.notices)
    kept = guard_quotes(one(TERRIFYING, "P99"), ps, docs, drop_unsupported_points=False)
    assert len(kept.points) == 1 and kept.points[0].quotes == []


def test_positional_labels_and_explicit_refs(world):
    ps, docs, doc = world
    n = para_with(doc, "frankly terrifying")
    r = guard_quotes(one(TERRIFYING, f"P{n + 1}"), ps, docs)
    assert r.points[0].quotes[0].passage_id == f"c{n}"
    r2 = guard_quotes(one(TERRIFYING, "X"), ps, docs, refs={"X": ps[n]})
    assert r2.points[0].quotes[0].passage_id == f"c{n}"


def test_offline_style_quotes_with_exact_offsets_pass_unchanged(world):
    ps, docs, doc = world
    s = doc.sentences[3]
    q = Quote(text=doc.text[s.start:s.end], doc=doc.doc_id, start=s.start, end=s.end, passage_id=f"c{s.paragraph}")
    r = guard_quotes([Point(claim="c", quotes=[q])], ps, docs)
    assert r.points[0].quotes[0] == q and r.checks[0].status == "exact"
    # wrong offsets but verbatim text in the document: relocated
    moved = q.model_copy(update={"start": 0, "end": 5, "passage_id": None})
    r2 = guard_quotes([Point(claim="c", quotes=[moved])], ps, docs)
    assert (r2.points[0].quotes[0].start, r2.points[0].quotes[0].end) == (s.start, s.end)


def test_ambiguous_near_miss_is_not_guessed():
    text = ("The committee approved the budget for the northern region today.\n\n"
            "The committee approved the budget for the southern region today.")
    doc = SourceDocument.from_text("d.txt", text)
    p = Passage(id="all", text=text, doc="d.txt", paragraph=0, paragraph_end=1, start=0, end=len(text))
    r = guard_quotes(one("The committee approved the budget for the eastern region today", "all"), [p],
                     {"d.txt": doc})
    assert r.points == [] and r.checks[0].status == "removed"
    exact = guard_quotes(one("approved the budget for the southern region", "all"), [p], {"d.txt": doc})
    assert exact.points[0].quotes[0].start == text.index("approved the budget for the southern")


def test_short_quotes_must_be_exact(world):
    ps, docs, doc = world
    pid = f"c{para_with(doc, 'ratified by 164')}"
    assert guard_quotes(one("ratified by 165", pid), ps, docs).points == []
    assert guard_quotes(one("ratified by 164", pid), ps, docs).points[0].quotes[0].text == "ratified by 164"


def test_clean_quote_and_locate():
    assert clean_quote(" “…the calculus is terrifying.”  ") == "the calculus is terrifying."
    assert clean_quote("'single quoted'") == "single quoted"
    doc = SourceDocument.from_text("d", "He said it was “fine”, he added.")
    m = locate("It was “fine”.", doc, 0, len(doc.text))
    assert m is not None and doc.text[m.start:m.end] == "it was “fine”"


def test_markdown_quotes_not_in_sources_are_flagged(world):
    ps, docs, doc = world
    md = ("Reynolds said “the military necessity part of the calculus is frankly terrifying” [1], "
          'and campaigners said "mines are never acceptable" [2].\n'
          "> What we are witnessing on the modern battlefield [3] — Reynolds\n"
          "> Drones have replaced mines [4]\n")
    found = check_markdown_quotes(md, ps, docs)
    assert [q.verified for q in found] == [True, False, True, False]
    assert found[0].doc == doc.doc_id and doc.text[found[0].doc_start:found[0].doc_end].lower().startswith("the military")
    out, notices = flag_unverified_quotes(md, ps, docs)
    assert out.count(UNVERIFIED_FLAG) == 2 and len(notices) == 2
    assert '"mines are never acceptable"' + UNVERIFIED_FLAG in out
    assert "> Drones have replaced mines [4]" + UNVERIFIED_FLAG in out
    assert flag_unverified_quotes("No quotes here [1].", ps, docs) == ("No quotes here [1].", [])


def test_guard_is_fast(world):
    ps, docs, doc = world
    pid = f"c{para_with(doc, 'frankly terrifying')}"
    pts = one("The military necessity of the calculus is frankly terrifying", pid) * 20
    t0 = time.perf_counter()
    guard_quotes(pts, ps, docs)
    assert time.perf_counter() - t0 < 0.5


def test_prose_quote_search_over_a_large_library_is_fast(seed_text):
    big = SourceDocument("big.txt", "big", (seed_text + "\n\n") * 300)  # ~2.6 MB, structure not needed
    docs = {"big.txt": big}
    md = ("He said “the military necessity part of the calculus is frankly terrifying” and "
          "“mines are a perfectly humane weapon” and “Vladimir Putin's aggressive military strategies”.")
    t0 = time.perf_counter()
    found = check_markdown_quotes(md, [], docs)
    assert time.perf_counter() - t0 < 0.5
    assert [q.verified for q in found] == [True, False, True]
    assert big.text[found[2].doc_start:found[2].doc_end] == "Vladimir Putin’s aggressive military strategies"
