"""`debatebot eval PATH`: run every evaluation on the data folder and make one report."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from debatebot.core.errors import EvalDataError

TARGETS = {
    "quote_exact_real": (">=", 0.99),
    "altered_called_exact": ("==", 0),
    "attribution_accuracy": (">=", 0.92),
    "wice_balanced_accuracy": (">=", 0.78),
    "wice_evidence_recall@5": (">=", 0.80),
    "frank_balanced_accuracy": (">=", 0.65),
    "ibm_claim_stance_accuracy": (">=", 0.80),
    "argkp_stance_accuracy": (">=", 0.88),
    "side_precision": (">=", 0.90),
    "side_requests_with_3_points": (">=", 0.80),
    "written_side_precision": (">=", 0.90),
    "written_side_requests_with_3_points": (">=", 0.80),
    "written_claims_false_supported": ("==", 0),
    "questions_not_in_sources_precision": (">=", 0.90),
    "questions_not_in_sources_recall": (">=", 0.90),
}
PARTS = ["quotes", "claims", "stance", "nli", "sides", "written", "questions"]
# the articles we wrote (training/data/written): their dev split is evaluated with the public data
WRITTEN_DIR = Path(__file__).resolve().parents[2] / "training" / "data" / "written"


def _flatten(prefix: str, d: dict, out: dict) -> None:
    for k, v in d.items():
        if isinstance(v, dict) and "value" in v:
            out[k] = v
        elif isinstance(v, dict):
            _flatten(f"{prefix}{k}.", v, out)


def run_eval(root: Path, only: list[str] | None = None, limit: int | None = None,
             embedding_model: str | None = None, progress: Callable[[str], None] | None = None,
             written_dir: Path | None = None) -> dict:
    if not root.is_dir():
        raise EvalDataError(f"No evaluation data folder at {root}.", hint="Pass the folder, e.g. ../shared/eval")
    written = Path(written_dir) if written_dir else WRITTEN_DIR
    parts = only or [p for p in PARTS if p not in ("written", "questions") or any(written.glob("*.jsonl"))]
    from debatebot.core.settings import get_settings
    from debatebot.corpus.embeddings import get_embedder

    embedder = get_embedder(embedding_model or get_settings().index.embedding_model)
    report: dict = {"data": str(root), "limit": limit, "embedding_model": embedder.name, "sections": {}, "metrics": {}}
    say = progress or (lambda m: None)
    for part in parts:
        t0 = time.perf_counter()
        say(f"eval: {part}…")
        if part == "quotes":
            from debatebot.evaluation.quote_eval import evaluate_quotes

            section = evaluate_quotes(root, limit=limit)
        elif part == "claims":
            from debatebot.evaluation.claim_eval import evaluate_frank, evaluate_wice

            section = {"wice": evaluate_wice(root, embedder, limit=limit),
                       "frank": evaluate_frank(root, embedder, limit=limit)}
        elif part == "stance":
            from debatebot.evaluation.stance import evaluate_stance

            section = evaluate_stance(root, embedder, limit=limit)
        elif part == "nli":
            from debatebot.evaluation.nli import evaluate_nli

            section = evaluate_nli(root, limit=limit)
        elif part == "sides":
            from debatebot.evaluation.side_eval import evaluate_sides

            section = evaluate_sides(root, limit=limit, embedding_model=embedding_model, progress=None)
        elif part == "written":
            from debatebot.evaluation.written import evaluate_written

            section = evaluate_written(written, limit=limit, embedding_model=embedding_model, progress=None)
        elif part == "questions":
            from debatebot.evaluation.questions import evaluate_questions

            section = evaluate_questions(written, limit=limit, embedding_model=embedding_model, progress=None)
        else:  # pragma: no cover - argparse restricts choices
            continue
        section["seconds"] = round(time.perf_counter() - t0, 1)
        report["sections"][part] = section
        _flatten("", section, report["metrics"])
    for name, m in report["metrics"].items():
        if name in TARGETS:
            op, target = TARGETS[name]
            v = m["value"]
            m["target"] = f"{op} {target}"
            m["met"] = bool(v >= target if op == ">=" else v == target)
    return report


def format_table(report: dict) -> str:
    rows = [("metric", "value", "n", "target", "met")]
    for name, m in report["metrics"].items():
        v = m["value"]
        vs = f"{v:.3f}" if isinstance(v, float) else str(v)
        rows.append((name, vs, str(m.get("n", "")), m.get("target", ""), {True: "yes", False: "NO"}.get(m.get("met"), "")))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = []
    for j, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if j == 0:
            lines.append("  ".join("-" * w for w in widths))
    secs = ", ".join(f"{k} {v.get('seconds', '?')}s" for k, v in report["sections"].items())
    lines.append("")
    lines.append(f"data: {report['data']}  embedding: {report['embedding_model']}  limit: {report['limit']}  time: {secs}")
    return "\n".join(lines)
