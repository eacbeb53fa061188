"""NLI accuracy of the judge on the development pairs of the training data (`nli_dev.jsonl`).

The file sits in the training-data folder next to the evaluation folder (../shared/train beside
../shared/eval); it is read in place, never copied. 3-way accuracy (entailment / neutral /
contradiction), per data source, and the precision of "entailment" (what "supported" rests on)."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from debatebot.core.errors import EvalDataError
from debatebot.evaluation.stance import metric

LABELS = ["entailment", "neutral", "contradiction"]


def evaluate_nli(eval_root: Path, limit: int | None = None, judge=None) -> dict[str, Any]:
    from debatebot.judge import get_judge

    path = Path(eval_root).parent / "train" / "nli_dev.jsonl"
    if not path.is_file():
        return {"missing": str(path)}
    t0 = time.perf_counter()
    rows = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError as e:
                    raise EvalDataError(f"{path} is not valid JSON lines: {e}") from e
    if limit and len(rows) > limit:
        step = len(rows) / limit
        rows = [rows[int(i * step)] for i in range(limit)]
    judge = judge or get_judge()
    probs = judge.nli([r["premise"] for r in rows], [r["hypothesis"] for r in rows])
    pred = probs.argmax(1)
    gold = np.array([LABELS.index(r["label"]) for r in rows])
    by: dict[str, list[bool]] = defaultdict(list)
    for r, p, g in zip(rows, pred, gold):
        by[r.get("source", "?").split("/")[0]].append(bool(p == g))
    ent = pred == 0
    out: dict[str, Any] = {
        "nli_dev_accuracy": metric(float(np.mean(pred == gold)), len(rows)),
        "nli_dev_entailment_precision": metric(float(np.mean(gold[ent] == 0)) if ent.any() else 0.0, int(ent.sum())),
    }
    for src, hits in sorted(by.items()):
        out[f"nli_dev_accuracy_{src}"] = metric(float(np.mean(hits)), len(hits))
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out
