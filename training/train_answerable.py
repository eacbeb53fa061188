"""Train the answerability gate of `ask` (debatebot/verify/answerable.py) on the questions we wrote about
the train split of our articles (training/data/questions; the dev split is never read here):

    python training/train_answerable.py            # writes debatebot/judge/weights/answerable.json

Every train question is asked of the train articles that have questions (indexed together, as
`debatebot eval` does with the dev ones); the gate's features come from each answer's details. A
logistic regression (scikit-learn) on the standardised features. Two thresholds from its 5-fold
cross-validated predictions on train: `threshold`, the highest at which "not in the sources" is right
for PRECISION_TARGET of the questions it is said of (a journalist must be able to trust it: below it,
`ask` says so), and `weak`, the one of the best min(precision, recall) (below it, the answer says the
match is weak). The file records the data files and their sha256, the seed, the counts and those
metrics."""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from debatebot.evaluation.questions import QUESTIONS_DIR, ask_questions  # noqa: E402
from debatebot.verify.answerable import FEATURES, gate_path  # noqa: E402

SEED = 13
PRECISION_TARGET = 0.9
WRITTEN = ROOT / "training" / "data" / "written"


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def prf(y_none: np.ndarray, said_none: np.ndarray) -> tuple[float, float]:
    tp = float((y_none & said_none).sum())
    return tp / max(1, said_none.sum()), tp / max(1, y_none.sum())


def main() -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    t0 = time.time()
    rows = ask_questions(WRITTEN, "train", progress=lambda m: print(m, flush=True))
    X = np.array([[r["answerable_details"]["features"][f] for f in FEATURES] for r in rows], dtype=np.float64)
    y = np.array([bool(r["answerable"]) for r in rows])
    mean, scale = X.mean(0), X.std(0) + 1e-6
    Z = (X - mean) / scale
    model = LogisticRegression(C=1.0, max_iter=1000, random_state=SEED)
    cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=SEED)
    p = cross_val_predict(model, Z, y, cv=cv, method="predict_proba")[:, 1]
    best = (0.0, 0.5, 0.0, 0.0)
    sure = (0.05, 0.0, 0.0)
    for t in np.arange(0.05, 0.81, 0.01):
        prec, rec = prf(~y, p < t)
        if min(prec, rec) > best[0]:
            best = (min(prec, rec), float(round(t, 2)), prec, rec)
        if prec >= PRECISION_TARGET and (p < t).sum() >= 10:
            sure = (float(round(t, 2)), prec, rec)
    model.fit(Z, y)
    files = sorted(QUESTIONS_DIR.glob("*.jsonl")) + sorted(WRITTEN.glob("*.jsonl"))
    out = {
        "features": list(FEATURES), "weights": model.coef_[0].round(6).tolist(),
        "bias": round(float(model.intercept_[0]), 6), "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(),
        "threshold": sure[0], "weak": max(best[1], sure[0]),
        "record": {
            "trained": time.strftime("%Y-%m-%d", time.gmtime()), "command": "python training/train_answerable.py",
            "split": "train", "seed": SEED, "questions": len(rows), "answerable": int(y.sum()),
            "model": "sklearn LogisticRegression(C=1.0) on standardised features",
            "cv5_not_in_sources_precision": round(sure[1], 4), "cv5_not_in_sources_recall": round(sure[2], 4),
            "cv5_answerable_gated": round(float((y & (p < sure[0])).sum() / max(1, y.sum())), 4),
            "cv5_balanced_precision": round(best[2], 4), "cv5_balanced_recall": round(best[3], 4),
            "data": {str(f.relative_to(ROOT)): sha(f) for f in files},
        },
    }
    gate_path().write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out["record"].items() if k != "data"} | {"threshold": sure[0],
          "weak": out["weak"],
          "weights": dict(zip(FEATURES, out["weights"]))}, indent=1))
    print(f"wrote {gate_path()} in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
