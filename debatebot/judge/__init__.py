"""The judge: a cross-encoder trained here (training/train_judge.py) that scores text pairs.

`get_judge().nli(premises, hypotheses)` -> entailment / neutral / contradiction probabilities;
`get_judge().stance(texts, motion)` -> pro / con / neither probabilities towards a motion.
"""

from debatebot.judge.scorer import Judge, JudgeInfo, get_judge

__all__ = ["Judge", "JudgeInfo", "get_judge"]
