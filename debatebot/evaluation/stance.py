"""Stance evaluation: PRO vs CON accuracy of `StanceScorer` on IBM Claim Stance and IBM ArgKP.

- IBM Claim Stance (`ibm_claim_stance/claim_stance*.csv`): `topicText` is the motion,
  `claims.claimCorrectedText` the sentence, `claims.stance` PRO/CON. Only the text columns are read
  (never the annotated target/sentiment columns).
- IBM ArgKP (`ibm_kpa_2021/arguments_*.csv`): `topic`, `argument`, `stance` (1 / -1).
  `arguments_train.csv` is skipped when another split exists: the scorer's three weights were fitted
  on it. Only if it is the sole file is it scored (and then the number is not held-out).

Prediction = sign of `StanceResult.value`; tie rule: a value of exactly 0 counts as wrong.
Baselines on the same rows: `*_vader_accuracy` = sign(VADER compound) x the motion polarity found
by `parse_motion` (the plain-lexicon version of this scorer); `*_vader_raw_accuracy` = sign(VADER
compound) alone (positive = PRO). The data is read from `eval_root` and never copied.
"""

from __future__ import annotations

import csv
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..embeddings import Embedder
from ..errors import EvalDataError
from ..stance import StanceScorer, _vader, parse_motion

Row = tuple[str, str, int]  # (sentence, motion, gold stance +1/-1)


def _metric(value: float, n: int) -> dict[str, float | int]:
    return {"value": round(float(value), 4), "n": int(n)}


def _subsample(rows: list[Row], limit: int | None) -> list[Row]:
    """Every k-th row (keeps all topics represented), at most `limit`."""
    if not limit or len(rows) <= limit:
        return rows
    step = len(rows) / limit
    return [rows[int(i * step)] for i in range(limit)]


def load_claim_stance(eval_root: Path) -> tuple[list[Row], list[str]]:
    files = sorted((eval_root / "ibm_claim_stance").glob("claim_stance*.csv"))
    rows: list[Row] = []
    for f in files:
        with f.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                stance = (r.get("claims.stance") or "").strip().upper()
                text = (r.get("claims.claimCorrectedText") or "").strip()
                if stance in {"PRO", "CON"} and text and r.get("topicText"):
                    rows.append((text, r["topicText"].strip(), 1 if stance == "PRO" else -1))
    return rows, [f.name for f in files]


def load_argkp(eval_root: Path) -> tuple[list[Row], list[str]]:
    files = sorted((eval_root / "ibm_kpa_2021").glob("arguments_*.csv"))
    held_out = [f for f in files if f.name != "arguments_train.csv"]
    files = held_out or files
    rows: list[Row] = []
    for f in files:
        with f.open(encoding="utf-8", newline="") as fh:
            for r in csv.DictReader(fh):
                try:
                    stance = int(float(r.get("stance", "")))
                except ValueError:
                    continue
                text = (r.get("argument") or "").strip()
                if stance in (1, -1) and text and r.get("topic"):
                    rows.append((text, r["topic"].strip(), stance))
    return rows, [f.name for f in files]


def _accuracies(scorer: StanceScorer, rows: list[Row], prefix: str) -> dict[str, Any]:
    by_motion: dict[str, list[int]] = defaultdict(list)
    for i, (_, motion, _) in enumerate(rows):
        by_motion[motion].append(i)
    values = [0.0] * len(rows)
    for motion, idx in by_motion.items():
        for i, res in zip(idx, scorer.score_many([rows[i][0] for i in idx], motion)):
            values[i] = res.value
    vader = _vader()
    right = vader_right = raw_right = 0
    for (text, motion, gold), v in zip(rows, values):
        right += (v > 0 and gold > 0) or (v < 0 and gold < 0)
        c = vader.polarity_scores(text)["compound"]
        raw_right += (c > 0 and gold > 0) or (c < 0 and gold < 0)
        cv = c * parse_motion(motion).polarity
        vader_right += (cv > 0 and gold > 0) or (cv < 0 and gold < 0)
    n = len(rows)
    return {
        f"{prefix}_stance_accuracy" if prefix == "argkp" else f"{prefix}_accuracy": _metric(right / n, n),
        f"{prefix}_vader_accuracy": _metric(vader_right / n, n),
        f"{prefix}_vader_raw_accuracy": _metric(raw_right / n, n),
        "topics": len(by_motion),
    }


def evaluate_stance(eval_root: Path, embedder: Embedder, limit: int | None = None) -> dict[str, Any]:
    """PRO/CON accuracy on IBM Claim Stance and IBM ArgKP (see the module docstring)."""
    eval_root = Path(eval_root)
    cs_rows, cs_files = load_claim_stance(eval_root)
    kp_rows, kp_files = load_argkp(eval_root)
    if not cs_rows and not kp_rows:
        raise EvalDataError(f"No IBM claim stance or ArgKP data under {eval_root}.",
                            hint="Expected ibm_claim_stance/claim_stance_*.csv and ibm_kpa_2021/arguments_*.csv")
    scorer = StanceScorer(embedder)
    out: dict[str, Any] = {"tie_rule": "value == 0 counts as wrong"}
    for key, prefix, rows, files in (("ibm_claim_stance", "ibm_claim_stance", cs_rows, cs_files),
                                     ("argkp", "argkp", kp_rows, kp_files)):
        if not rows:
            out[key] = {"missing": True}
            continue
        t0 = time.perf_counter()
        rows = _subsample(rows, limit)
        section = _accuracies(scorer, rows, prefix)
        section["files"] = files
        section["seconds"] = round(time.perf_counter() - t0, 1)
        out[key] = section
    return out
