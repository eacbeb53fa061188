"""Retrieval quality and contract with the real embedding model."""

import pytest

from debatebot.corpus.library import Library
from tests.conftest import SEED, make_settings

pytestmark = pytest.mark.slow

DISTRACTORS = [
    "Demining teams in Cambodia cleared thousands of hectares of farmland last year with new detectors.",
    "Engineers tested several mine detection methods, including dogs, rats and ground radar, in Angola.",
    "A report on mine clearance standards compared procedures used by charities in Laos and Bosnia.",
    "Clearance charities say that detection technology has improved, but manual demining remains slow.",
    "Officials discussed funding for mine action programmes and victim assistance at a donor meeting.",
]


@pytest.fixture(scope="module")
def libs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("retr")
    corpus = tmp / "corpus"
    corpus.mkdir()
    places = ["Cambodia", "Angola", "Laos", "Bosnia", "Iraq", "Colombia"]
    for i, t in enumerate(DISTRACTORS):
        for j, place in enumerate(places):
            text = t.replace("Cambodia", place).replace("Angola", place).replace("Laos", place)
            (corpus / f"d{i}_{j}.txt").write_text(f"{text} The work in {place} continues.", encoding="utf-8")
    (corpus / "rare.txt").write_text(
        "Vantrell published her report on Tuesday. The cover of the Vantrell report is blue.", encoding="utf-8")
    hybrid = Library(make_settings(tmp, embedding_model="all-MiniLM-L6-v2", chunk_tokens=40))
    hybrid.index([corpus])
    dense = Library(make_settings(tmp, embedding_model="all-MiniLM-L6-v2", chunk_tokens=40, retrieval="dense"))
    return hybrid, dense


def test_hybrid_finds_a_rare_exact_name_at_least_as_well_as_dense(libs):
    hybrid, dense = libs
    q = "Which mine detection and clearance methods does the Vantrell report recommend?"
    h = hybrid.search(q, k=4)
    d = dense.search(q, k=4)
    rank = lambda res: next((i for i, p in enumerate(res) if "Vantrell" in p.text), 99)  # noqa: E731
    assert rank(h) <= 1
    assert rank(h) <= rank(d)  # the BM25 side finds the exact rare name at least as well as vectors alone


def test_diverse_results_and_exact_citations(tmp_path):
    lib = Library(make_settings(tmp_path, embedding_model="all-MiniLM-L6-v2", chunk_tokens=60, chunk_overlap=2))
    lib.index([SEED.parent])
    res = lib.search("What do campaigners say about landmines?", k=5)
    assert len(res) == 5
    docs = lib.documents()
    for p in res:
        assert docs[p.doc].text[p.start : p.end] == p.text
    # no two results are near-copies: neither shares more than half of its sentences with another
    for i, a in enumerate(res):
        for b in res[i + 1 :]:
            overlap = set(a.sentence_ids) & set(b.sentence_ids)
            assert len(overlap) <= min(len(a.sentence_ids), len(b.sentence_ids)) / 2
