"""Points are ranked within the pool: half the pool's mean lead is taken off every sentence (POOL_CENTRE)."""

import numpy as np
import pytest

from debatebot.answers.evidence import Evidence
from debatebot.answers.sides import POOL_CENTRE, score_stance
from debatebot.core.text import SourceDocument
from debatebot.judge.motions import invert_motion

MOTION = "Ferries should be free for residents"


class FixedJudge:
    """Per-sentence (pro, con, neither) towards MOTION; the inverted motion reads them with the sides swapped."""

    def __init__(self, rows: dict[str, tuple[float, float, float]]):
        self.rows = rows

    def stance(self, texts, motions):
        motions = [motions] * len(texts) if isinstance(motions, str) else motions
        out = [self.rows[t] if m == MOTION else (self.rows[t][1], self.rows[t][0], self.rows[t][2])
               for t, m in zip(texts, motions)]
        return np.array(out, dtype=np.float32)


def _pool(text: str) -> list[Evidence]:
    doc = SourceDocument.from_text("ferries.txt", text)
    return [Evidence(doc=doc, sentence=s, rank=0) for s in doc.sentences]


def test_a_pool_leaning_one_way_is_centred_by_half_its_lean():
    assert invert_motion(MOTION)  # two readings, as argue reads an invertible motion
    pool = _pool("Fares fell sharply. The council backed the plan. Drivers warned of queues.")
    rows = {pool[0].text: (0.7, 0.2, 0.1), pool[1].text: (0.6, 0.3, 0.1), pool[2].text: (0.5, 0.4, 0.1)}
    score_stance(FixedJudge(rows), pool, MOTION)
    lean = np.mean([0.5, 0.3, 0.1])  # equal relevance: the plain mean of the leads
    for ev in pool:
        pro, con, _ = rows[ev.text]
        assert ev.p_pro == pytest.approx(pro - POOL_CENTRE * lean / 2, abs=1e-5)
        assert ev.p_con == pytest.approx(con + POOL_CENTRE * lean / 2, abs=1e-5)
        assert ev.stance == pytest.approx(ev.p_pro - ev.p_con)
    # the order is kept; the sentence that leads least now leans to the other side
    assert pool[0].stance > pool[1].stance > pool[2].stance and pool[2].stance < 0


def test_a_balanced_pool_and_off_motion_sentences_change_nothing():
    pool = _pool("Fares fell sharply. Drivers warned of queues. The weather was mild.")
    rows = {pool[0].text: (0.7, 0.2, 0.1), pool[1].text: (0.2, 0.7, 0.1), pool[2].text: (0.0, 0.0, 1.0)}
    score_stance(FixedJudge(rows), pool, MOTION)
    for ev in pool:
        pro, con, neither = rows[ev.text]
        assert (ev.p_pro, ev.p_con) == pytest.approx((pro, con), abs=1e-5)
        assert ev.relevance == pytest.approx(1 - neither, abs=1e-5)
