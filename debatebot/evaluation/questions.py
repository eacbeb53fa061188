"""Questions we wrote about our own articles (training/data/questions, SPEC.md "Questions"): does `ask`
answer from the sources when an article answers the question, and say "not in the sources" when none
does? The articles of the split are indexed together; every question is asked of all of them."""

from __future__ import annotations

import json
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from debatebot.core.models import Mode, Request
from debatebot.evaluation.claim_eval import metric
from debatebot.evaluation.side_eval import temporary_engine
from debatebot.evaluation.written import load_written

QUESTIONS_DIR = Path(__file__).resolve().parents[2] / "training" / "data" / "questions"


def load_questions(folder: Path = QUESTIONS_DIR) -> list[dict]:
    rows = []
    for f in sorted(Path(folder).glob("*.jsonl")):
        rows += [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows


def ask_questions(written_dir: Path, split: str | None, questions_dir: Path = QUESTIONS_DIR, limit: int | None = None,
                  embedding_model: str | None = None, progress=None) -> list[dict]:
    """Each question of `split` (None: every article) asked of the split's articles (those with questions), indexed together:
    the question's row with `got` ("answered" / "not_in_sources"), `hit` (an evidence sentence among the
    quotes) and the answer's `answerable` details (the gate's features and probability)."""
    arts = {a.id: a for a in load_written(written_dir, split)}
    rows = [q for q in load_questions(questions_dir) if q["article"] in arts][: limit or None]
    used = sorted({q["article"] for q in rows})
    out = []
    with tempfile.TemporaryDirectory(prefix="debatebot-questions-") as tmp:
        lib, engine = temporary_engine(Path(tmp), "questions", embedding_model)
        for aid in used:
            lib.add_text(aid, arts[aid].text, title=arts[aid].headline)
        for n, q in enumerate(rows, 1):
            if progress and n % 50 == 0:
                progress(f"questions: {n}/{len(rows)}")
            ans = engine.run(Request(mode=Mode.ask, text=q["question"]))
            quoted = [qt.text for p in ans.points for qt in p.quotes]
            hit = any(e in t or t in e for e in q["evidence"] for t in quoted)
            out.append(q | {"got": "not_in_sources" if ans.verdict == "not_in_sources" else "answered", "hit": hit,
                            "answerable_details": ans.details.get("answerable", {})})
    return out


def evaluate_questions(written_dir: Path, split: str | None = "dev", questions_dir: Path = QUESTIONS_DIR,
                       limit: int | None = None, embedding_model: str | None = None, progress=None) -> dict:
    """`questions_not_in_sources_precision` / `_recall` (the unanswerable questions), per kind of
    unanswerable question its recall, and `questions_answered_with_evidence` (answerable questions
    answered with a sentence that answers them among the quotes)."""
    t0 = time.perf_counter()
    rows = ask_questions(written_dir, split, questions_dir, limit, embedding_model, progress)
    out: dict = {}
    said_none = [r for r in rows if r["got"] == "not_in_sources"]
    unanswerable = [r for r in rows if not r["answerable"]]
    out["questions_not_in_sources_precision"] = metric(
        sum(not r["answerable"] for r in said_none) / len(said_none) if said_none else 0.0, len(said_none))
    out["questions_not_in_sources_recall"] = metric(
        sum(r["got"] == "not_in_sources" for r in unanswerable) / len(unanswerable) if unanswerable else 0.0,
        len(unanswerable))
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for r in rows:
        ok = (r["got"] == "not_in_sources") != r["answerable"]
        kinds[r["kind"]][0] += ok
        kinds[r["kind"]][1] += 1
    for k, (a, n) in sorted(kinds.items()):
        out[f"questions_right_{k}"] = metric(a / n if n else 0.0, n)
    answerable = [r for r in rows if r["answerable"]]
    out["questions_answered_with_evidence"] = metric(
        sum(r["got"] == "answered" and r["hit"] for r in answerable) / len(answerable) if answerable else 0.0,
        len(answerable))
    out["questions"] = len(rows)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out
