"""The sides and rebuttals evaluation (debatebot.evaluation.side_eval) on a tiny self-written fixture
in the IBM Claim Stance / ArgKP formats (tests/fixtures/stance: four motions, three arguments each)."""

from __future__ import annotations

from debatebot.evaluation.side_eval import REBUTTALS_PER_STANCE, _to_rebut, evaluate_sides
from debatebot.judge.motions import invert_motion
from tests.conftest import FIXTURES


def test_rebuttals_are_drawn_from_both_stances():
    args = [("a", 1), ("b", -1), ("c", 1), ("d", 1), ("e", -1), ("f", -1)]
    picked = _to_rebut(args)
    assert [g for _, g in picked].count(1) == REBUTTALS_PER_STANCE == [g for _, g in picked].count(-1)
    assert picked[0] == ("a", 1) and ("b", -1) in picked


def test_sides_and_rebuttals_are_counted_per_request():
    out = evaluate_sides(FIXTURES / "stance")
    assert out["motions"] == 4
    motions = ["This house would ban fireworks", "This house supports public libraries",
               "We should remove bicycle lanes", "We should abolish homework"]
    # each motion argued for and against, and again inverted when it inverts
    assert out["side_points_mean"]["n"] == sum(2 * (1 + bool(invert_motion(m))) for m in motions) >= 12
    # each motion has two arguments of one stance and one of the other: 3 rebuttals a motion, each run
    # alone, with the motion, and with the motion and the side
    for key in ("rebut_points_mean", "rebut_points_mean_with_motion", "rebut_points_mean_with_motion_and_side"):
        assert out[key]["n"] == 12, key
    assert out["rebut_opponent_side_decided"]["n"] == 12
    for key, m in out.items():
        if key.startswith(("side_precision", "rebut_precision", "rebut_opponent")):
            assert 0.0 <= m["value"] <= 1.0, key
