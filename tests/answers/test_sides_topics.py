"""argue on topics the judge was never trained on (tests/fixtures/topics, written for these tests and
not in training/data/written: compulsory microchipping of cats, merging small municipalities), six
phrasings each, both sides; and on the seed. Points are chosen by rank, so every side the sources
hold gets points, and most of them are from the requested camp."""

from __future__ import annotations

import pytest

from debatebot.answers.engine import Engine
from debatebot.core.models import Mode, Request
from debatebot.corpus.library import Library
from debatebot.evaluation.written import _label_of, load_written
from tests.conftest import FIXTURES, make_settings

ARTICLES = load_written(FIXTURES / "topics")
MIN_POINTS = 3  # a side the sources hold gets at least three points
MIN_PRECISION = 0.9  # ... and nine in ten of them are from the requested camp


@pytest.fixture(scope="module")
def topics_engine(tmp_path_factory):
    lib = Library(make_settings(tmp_path_factory.mktemp("topics"), embedding_model="all-MiniLM-L6-v2"))
    for art in ARTICLES:
        lib.add_text(art.id, art.text, title=art.headline)
    return Engine(lib)


def _run(engine, art, motion, pol, side):
    want = "pro" if (side == "for") == (pol > 0) else "con"
    ans = engine.run(Request(mode=Mode.argue, side=side, motion=motion, text=motion, docs=[art.id]))
    heads = [_label_of(art, p.quotes[0].text, pol) for p in ans.points if p.quotes]
    return ans, want, heads


@pytest.mark.xfail(strict=True, reason="known gap (issue 26 open): with leaning points every side gets its "
                   "points, but the stance model of 2026-12-07 puts fewer than 0.9 of them in the requested camp "
                   "(written dev: 0.60 confident, 0.50 leaning)")
@pytest.mark.parametrize("art", ARTICLES, ids=[a.id for a in ARTICLES])
def test_every_phrasing_gets_points_on_both_sides_mostly_from_the_right_camp(topics_engine, art):
    right = total = 0
    for motion, pol in art.motions:
        for side in ("for", "against"):
            ans, want, heads = _run(topics_engine, art, motion, pol, side)
            assert len(ans.points) >= MIN_POINTS, (motion, side, ans.answer)
            assert all(p.confidence is not None and 0 < p.confidence <= 1 for p in ans.points)
            right += sum(h == want for h in heads)
            total += len(heads)
    assert right / total >= MIN_PRECISION, f"{right} of {total} points from the requested camp"
