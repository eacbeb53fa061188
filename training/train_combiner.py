"""Train the learned combination of a claim check (debatebot/verify/claims/combiner.py) on the claims
of the articles we wrote, train split only (training/data/written; the dev split is never read here):

    python training/train_combiner.py [--limit N]   # writes debatebot/judge/weights/claim_combiner.json

Every train article is indexed (together, as `debatebot eval` indexes the dev ones, each claim checked
against its own article); each claim's rule verdict and features come from the check's
`details.combination` (the shipped combination file is moved aside while they are read, so the rules'
verdicts are the input). A multinomial logistic regression (scikit-learn) on the standardised features
learns the claim's verdict (misattributed counts as contradicted, overstated as partly supported);
`keep_supported`, the P(supported) under which the rules' "supported" is taken back, is the highest at
which, in 5-fold cross-validated predictions on train, at least TAKE_BACK_RIGHT of the claims taken back
are indeed not supported; `contradict_min`, the P(contradicted) a claim the rules did not contradict
needs, the most accurate on those predictions that calls at most CONTRADICT_SLACK more true claims
contradicted than the rules do. (The run-time rule that a learned "contradicted" needs grounds, a part
contradicted by evidence that names what it names, is not in these cross-validated numbers: the
combination's effect is measured end to end by `debatebot eval`.) The file records data files and sha256, seed, counts and those metrics."""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from debatebot.core.models import Mode, Request  # noqa: E402
from debatebot.evaluation.side_eval import temporary_engine  # noqa: E402
from debatebot.evaluation.written import load_written  # noqa: E402
from debatebot.verify.claims.combiner import FEATURES, VERDICTS, combiner_path, get_combiner  # noqa: E402

SEED = 13
TAKE_BACK_RIGHT = 0.7
CONTRADICT_SLACK = 0.2
WRITTEN = ROOT / "training" / "data" / "written"
LABEL = {"supported": "supported", "contradicted": "contradicted", "misattributed": "contradicted",
         "overstated": "partly_supported", "not_in_sources": "not_in_sources"}


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def read_claims(limit: int | None) -> list[dict]:
    arts = load_written(WRITTEN, "train")[: limit or None]
    rows = []
    with tempfile.TemporaryDirectory(prefix="debatebot-combiner-") as tmp:
        lib, engine = temporary_engine(Path(tmp), "combiner", None)
        for a in arts:
            lib.add_text(a.id, a.text, title=a.headline)
        for n, a in enumerate(arts, 1):
            if n % 20 == 0:
                print(f"claims: {n}/{len(arts)} articles", flush=True)
            for c in a.claims:
                if c.get("verdict") not in LABEL:
                    continue
                ans = engine.run(Request(mode=Mode.check, text=c["claim"], docs=[a.id]))
                comb = ans.details.get("combination") or {}
                if "features" not in comb:
                    continue  # decided before judging (a subject the sources never name)
                rows.append({"x": [comb["features"][f] for f in FEATURES], "rule": comb["rule"],
                             "y": LABEL[c["verdict"]], "perturbation": c.get("perturbation")})
    return rows


def main(argv=None) -> int:
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--limit", type=int, default=None, help="at most N train articles (a quick run)")
    ap.add_argument("--rows", default=None, help="also write the feature rows to this JSON file, or read them "
                    "from it when it exists (no checks run)")
    args = ap.parse_args(argv)
    t0 = time.time()
    shipped = combiner_path()
    aside = shipped.with_suffix(".json.aside")
    if args.rows and Path(args.rows).is_file():
        rows = json.loads(Path(args.rows).read_text())
    else:
        if shipped.is_file():
            shutil.move(shipped, aside)
        get_combiner.cache_clear()
        try:
            rows = read_claims(args.limit)
        finally:
            if aside.is_file():
                shutil.move(aside, shipped)
            get_combiner.cache_clear()
        if args.rows:
            Path(args.rows).write_text(json.dumps(rows))
    X = np.array([r["x"] for r in rows], dtype=np.float64)
    y = np.array([r["y"] for r in rows])
    rule = np.array([r["rule"] for r in rows])
    mean, scale = X.mean(0), X.std(0) + 1e-6
    Z = (X - mean) / scale
    model = LogisticRegression(C=1.0, max_iter=2000, random_state=SEED)
    p = cross_val_predict(model, Z, y, cv=StratifiedKFold(5, shuffle=True, random_state=SEED), method="predict_proba")
    classes = sorted(set(y))  # sklearn's order
    p_sup = p[:, classes.index("supported")]
    keep = 0.0
    for t in np.arange(0.05, 0.71, 0.01):
        back = (rule == "supported") & (p_sup < t)
        if back.sum() >= 5 and (y[back] != "supported").mean() >= TAKE_BACK_RIGHT:
            keep = float(round(t, 2))

    def verdicts(keep_: float, cmin: float) -> np.ndarray:  # as Combiner.verdict decides
        out = []
        for i in range(len(rows)):
            pi = dict(zip(classes, p[i]))
            top = max(pi, key=lambda c: pi[c])
            if rule[i] == "supported" and pi["supported"] >= keep_:
                out.append("supported")
            elif rule[i] == "contradicted" or (pi["contradicted"] >= cmin and top in ("contradicted", "supported")):
                out.append("contradicted")
            else:
                out.append(max(("partly_supported", "not_in_sources"), key=lambda c: pi[c]))
        return np.array(out)

    ok = lambda g, w: g == w or (w == "partly_supported" and g in ("contradicted", "not_in_sources"))  # noqa: E731
    true_called_false = lambda g: int(((g == "contradicted") & (y == "supported")).sum())  # noqa: E731
    # contradict_min: the most accurate, calling no more true claims contradicted than the rules do, plus
    # CONTRADICT_SLACK of them (a true claim called contradicted misleads as much as a false one supported)
    cmin, best_acc = 0.95, -1.0
    for t in np.arange(0.5, 0.96, 0.05):
        g = verdicts(keep, float(t))
        a = float(np.mean([ok(x_, w) for x_, w in zip(g, y)]))
        if true_called_false(g) <= (1 + CONTRADICT_SLACK) * true_called_false(rule) and a > best_acc:
            cmin, best_acc = float(round(t, 2)), a
    got = verdicts(keep, cmin)
    acc_rule = float(np.mean([ok(g, w) for g, w in zip(rule, y)]))
    acc = float(np.mean([ok(g, w) for g, w in zip(got, y)]))
    fs_rule = int(((rule == "supported") & (y != "supported")).sum())
    fs = int(((got == "supported") & (y != "supported")).sum())
    kept = float(((got == "supported") & (y == "supported")).sum() / max(1, ((rule == "supported") & (y == "supported")).sum()))
    model.fit(Z, y)
    order = [classes.index(c) for c in VERDICTS if c in classes]
    files = sorted(WRITTEN.glob("*.jsonl"))
    out = {
        "features": list(FEATURES), "classes": [classes[i] for i in order],
        "weights": model.coef_[order].round(6).tolist(), "bias": model.intercept_[order].round(6).tolist(),
        "mean": mean.round(6).tolist(), "scale": scale.round(6).tolist(), "keep_supported": keep,
        "contradict_min": cmin,
        "record": {
            "trained": time.strftime("%Y-%m-%d", time.gmtime()), "command": "python training/train_combiner.py",
            "split": "train", "seed": SEED, "claims": len(rows), "labels": dict(Counter(y.tolist())),
            "model": "sklearn LogisticRegression(C=1.0, multinomial) on standardised features",
            "cv5_accuracy_rules": round(acc_rule, 4), "cv5_accuracy": round(acc, 4),
            "cv5_false_supported_rules": fs_rule, "cv5_false_supported": fs,
            "cv5_true_supported_kept": round(kept, 4),
            "cv5_true_called_contradicted_rules": true_called_false(rule),
            "cv5_true_called_contradicted": true_called_false(got),
            "data": {str(f.relative_to(ROOT)): sha(f) for f in files},
        },
    }
    shipped.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in out["record"].items() if k != "data"} | {"keep_supported": keep, "contradict_min": cmin}, indent=1))
    print(f"wrote {shipped} in {time.time() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
