"""Stance evaluation: PRO vs CON accuracy of the judge on IBM Claim Stance and IBM ArgKP.

- IBM Claim Stance (`ibm_claim_stance/claim_stance*.csv`): `topicText` is the motion,
  `claims.claimCorrectedText` the sentence, `claims.stance` PRO/CON. Only the text columns are read.
- IBM ArgKP (`ibm_kpa_2021/arguments_*.csv`): `topic`, `argument`, `stance` (1 / -1).
  `arguments_train.csv` is skipped when another split exists.

Prediction = the larger of the judge's P(pro) and P(con) (its "neither" is ignored here: every row
has a side). Also reported: the same with each motion inverted (`invert_motion`: "ban X" -> "allow
X", "should X" -> "should not X"), where the gold side flips; and the share of rows on which the
judge is confident enough to quote the sentence for a side, with the precision of those. The data
is read from `eval_root` and never copied.
"""

from __future__ import annotations

import csv
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

from debatebot.core.errors import EvalDataError
from debatebot.judge.motions import invert_motion

Row = tuple[str, str, int]  # (sentence, motion, gold stance +1/-1)


def metric(value: float, n: int) -> dict[str, float | int]:
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


def _probs(judge, rows: list[Row]) -> np.ndarray:
    by_motion: dict[str, list[int]] = defaultdict(list)
    for i, (_, motion, _) in enumerate(rows):
        by_motion[motion].append(i)
    out = np.zeros((len(rows), 3), dtype=np.float32)
    for motion, idx in by_motion.items():
        out[idx] = judge.stance([rows[i][0] for i in idx], motion)
    return out


def _accuracies(judge, rows: list[Row], prefix: str) -> dict[str, Any]:
    from debatebot.answers.sides import SIDE_MARGIN, SIDE_MIN

    gold = np.array([g for _, _, g in rows])
    p = _probs(judge, rows)
    pred = np.where(p[:, 0] >= p[:, 1], 1, -1)
    inv_rows = [(t, inv, -g) for t, m, g in rows if (inv := invert_motion(m))]
    ip = _probs(judge, inv_rows) if inv_rows else np.zeros((0, 3))
    igold = np.array([g for _, _, g in inv_rows])
    ipred = np.where(ip[:, 0] >= ip[:, 1], 1, -1) if len(ip) else np.zeros(0)
    side = np.where(p[:, 0] >= p[:, 1], p[:, 0], p[:, 1])
    other = np.where(p[:, 0] >= p[:, 1], p[:, 1], p[:, 0])
    confident = (side >= SIDE_MIN) & (side - other >= SIDE_MARGIN)
    name = f"{prefix}_stance_accuracy" if prefix == "argkp" else f"{prefix}_accuracy"
    n = len(rows)
    return {
        name: metric(float(np.mean(pred == gold)), n),
        f"{prefix}_inverted_motion_accuracy": metric(float(np.mean(ipred == igold)) if len(igold) else 0.0, len(igold)),
        f"{prefix}_confident_share": metric(float(np.mean(confident)), n),
        f"{prefix}_confident_precision": metric(float(np.mean(pred[confident] == gold[confident]))
                                                 if confident.any() else 0.0, int(confident.sum())),
        "topics": len({m for _, m, _ in rows}),
    }


def evaluate_stance(eval_root: Path, embedder=None, limit: int | None = None, judge=None) -> dict[str, Any]:
    """PRO/CON accuracy on IBM Claim Stance and IBM ArgKP (see the module docstring)."""
    from debatebot.judge import get_judge

    judge = judge or get_judge()
    eval_root = Path(eval_root)
    cs_rows, cs_files = load_claim_stance(eval_root)
    kp_rows, kp_files = load_argkp(eval_root)
    if not cs_rows and not kp_rows:
        raise EvalDataError(f"No IBM claim stance or ArgKP data under {eval_root}.",
                            hint="Expected ibm_claim_stance/claim_stance_*.csv and ibm_kpa_2021/arguments_*.csv")
    out: dict[str, Any] = {}
    for key, prefix, rows, files in (("ibm_claim_stance", "ibm_claim_stance", cs_rows, cs_files),
                                     ("argkp", "argkp", kp_rows, kp_files)):
        if not rows:
            out[key] = {"missing": True}
            continue
        t0 = time.perf_counter()
        rows = _subsample(rows, limit)
        section = _accuracies(judge, rows, prefix)
        section["files"] = files
        section["seconds"] = round(time.perf_counter() - t0, 1)
        out[key] = section
    return out
