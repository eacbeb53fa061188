"""The learned combination of a claim check: a small multinomial logistic model over the judge's
probabilities and the explicit checks' outcomes for every atomic part of the claim, trained on the
claims of the articles we wrote (`training/train_combiner.py`, their train split; never on dev), that
reads the parts together and gives the claim's verdict.

It may lower a verdict, never raise one to "supported": "supported" stays the rules' (every part
entailed, every name and number in the evidence, no check against it), which the model may only take
back when it reads the claim as unlikely to be supported; and the rules' "contradicted" stands. Between contradicted, partly supported and
not in the sources it decides: how much entailment or contradiction, over how many parts, with which
check firing, makes each (a compound claim with one part the judge reads as contradicted, a claim that
shares words with a sentence but is not in it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import cast

import numpy as np

from debatebot.core.verdicts import ClaimVerdict

CONTRA_SEEN = 0.3  # the judge's contradiction of some evidence a learned "contradicted" needs
VERDICTS = ("supported", "contradicted", "partly_supported", "not_in_sources")
CHECKS = ("judge", "number", "negation", "antonym", "quantifier", "exception", "entity", "names", "modality",
          "speaker", "subject")
FEATURES = (
    ("rule_supported", "rule_contradicted", "rule_partly_supported", "rule_not_in_sources")
    + ("parts", "parts_supported", "parts_contradicted", "parts_not_in_sources",
       "entail_min", "entail_max", "contra_max", "contra_at_best", "coverage_min", "coverage_max", "reported")
    + tuple(f"check_{c}" for c in CHECKS)
)


def features(rule: str, parts: list[dict], reported: bool) -> np.ndarray:
    """The FEATURES of a claim: the rules' verdict, and per part (`{"verdict", "entailment": [...],
    "contradiction": [...], "coverage", "check"}`, the judge's numbers over the part's evidence)
    their summary."""
    x = np.zeros(len(FEATURES), dtype=np.float32)
    x[VERDICTS.index(rule)] = 1.0
    n = max(1, len(parts))
    ent = [max(p.get("entailment") or [0.0]) for p in parts] or [0.0]
    con = [max(p.get("contradiction") or [0.0]) for p in parts] or [0.0]
    at_best = []
    for p in parts:
        e, c = p.get("entailment") or [0.0], p.get("contradiction") or [0.0]
        at_best.append(c[int(np.argmax(e))] if len(c) == len(e) else 0.0)
    cov = [float(p.get("coverage", 0.0)) for p in parts] or [0.0]
    i = 4
    x[i] = min(len(parts), 4) / 4
    x[i + 1] = sum(p["verdict"] == "supported" for p in parts) / n
    x[i + 2] = sum(p["verdict"] == "contradicted" for p in parts) / n
    x[i + 3] = sum(p["verdict"] == "not_in_sources" for p in parts) / n
    x[i + 4], x[i + 5], x[i + 6] = min(ent), max(ent), max(con)
    x[i + 7] = max(at_best) if at_best else 0.0
    x[i + 8], x[i + 9] = min(cov), max(cov)
    x[i + 10] = float(reported)
    for p in parts:
        if p.get("check") in CHECKS:
            x[FEATURES.index(f"check_{p['check']}")] = 1.0
    return x


@dataclass(frozen=True)
class Combiner:
    weights: np.ndarray  # (classes, features)
    bias: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    classes: tuple[str, ...]
    keep_supported: float  # P(supported) below which the rules' "supported" is taken back
    contradict_min: float  # P(contradicted) a claim the rules did not contradict needs to be contradicted
    record: dict

    def probabilities(self, x: np.ndarray) -> dict[str, float]:
        z = self.weights @ ((x - self.mean) / self.scale) + self.bias
        p = np.exp(z - z.max())
        p /= p.sum()
        return {c: float(v) for c, v in zip(self.classes, p)}

    def verdict(self, rule: str, x: np.ndarray, grounds: bool = True) -> tuple[ClaimVerdict, dict[str, float]]:
        """The claim's verdict: never "supported" unless the rules say so; the rules' "contradicted"
        (an explicit check or the judge's contradiction) stands; another claim is contradicted when
        the model is `contradict_min` sure of it and there are `grounds`, else partly supported or not in the sources,
        whichever it finds likelier."""
        p = self.probabilities(x)
        if rule == "supported" and p.get("supported", 0.0) >= self.keep_supported:
            return "supported", p
        top = max(p, key=lambda c: p[c])
        # `grounds`: something against the claim (check.py: a part the judge reads as contradicted by
        # evidence that names what the part names; never a speaker the finder was unsure of, as a false
        # "misattributed" is what a journalist can least afford)
        if rule == "contradicted" or (grounds and p.get("contradicted", 0.0) >= self.contradict_min
                                      and top in ("contradicted", "supported")):
            return "contradicted", p
        best = max(("partly_supported", "not_in_sources"), key=lambda c: p.get(c, 0.0))
        return cast(ClaimVerdict, best), p


def combiner_path() -> Path:
    return Path(str(resources.files("debatebot.judge") / "weights" / "claim_combiner.json"))


@lru_cache(maxsize=1)
def get_combiner() -> Combiner | None:
    """The trained combination (None when its file is missing or was trained on other features: the
    rules' verdict stands)."""
    p = combiner_path()
    if not p.is_file():
        return None
    d = json.loads(p.read_text(encoding="utf-8"))
    if tuple(d["features"]) != FEATURES:
        return None
    return Combiner(np.array(d["weights"], dtype=np.float32), np.array(d["bias"], dtype=np.float32),
                    np.array(d["mean"], dtype=np.float32), np.array(d["scale"], dtype=np.float32),
                    tuple(d["classes"]), float(d["keep_supported"]), float(d["contradict_min"]), d.get("record", {}))
