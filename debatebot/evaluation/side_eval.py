"""Side precision: does the evidence quoted for a side really serve that side, however the motion is put?

For each motion of IBM Claim Stance and of ArgKP (dev), its labelled arguments are indexed as one
small document (one paragraph each; all motions in one temporary index, each request restricted to
its motion's document). The offline engine argues FOR and AGAINST the motion, and again for the
inverted motion (`invert_motion`: sides swap). Every quoted sentence is mapped back to its
argument: it counts as right when the argument's gold stance is the requested side.

Metrics: `side_precision` (right quotes / all quotes, every request), the same for the original and
the inverted motions, mean points per side and the share of requests with at least 3 points.

Rebuttals, in the same index: the first REBUTTALS_PER_STANCE arguments of each stance of a motion
are rebutted three times: the argument alone, with its motion, and with its motion and the side the
argument takes; a quoted sentence is right when its argument's gold stance is the other one
(`rebut_precision`, `..._with_motion`, `..._with_motion_and_side`; the argument itself quoted back
counts as wrong), with the points per rebuttal; with the motion only, how often the judge is sure of the
side the argument takes (`rebut_opponent_side_decided`) and how often it is then right
(`rebut_precision_opponent_side`). The
data is read from `eval_root` and never copied; the index lives in a temporary folder.
"""

from __future__ import annotations

import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from debatebot.core.models import MotionSide
from debatebot.evaluation.stance import load_argkp, load_claim_stance, metric
from debatebot.judge.motions import invert_motion

REBUTTALS_PER_STANCE = 2


def _motions(rows, max_args: int) -> dict[str, list[tuple[str, int]]]:
    out: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for text, motion, gold in rows:
        if len(out[motion]) < max_args:
            out[motion].append((" ".join(text.split()), gold))
    return out


def _gold(index: dict[str, int], text: str) -> int | None:
    """The gold stance of the argument a quoted sentence comes from."""
    return next((g for a, g in index.items() if text in a or a in text), None)


def _to_rebut(args: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The arguments a motion's rebuttals answer: the first few of each stance."""
    out = []
    for stance in (1, -1):
        out += [(a, g) for a, g in args if g == stance][:REBUTTALS_PER_STANCE]
    return out


def temporary_engine(folder: Path, collection: str, embedding_model: str | None = None):
    """A library with its index in `folder` (a temporary one: evaluation data is never kept) and an
    engine over it."""
    from debatebot.answers.engine import Engine
    from debatebot.core.settings import load_settings
    from debatebot.corpus.library import Library

    overrides: dict = {"index_dir": folder / "index", "upload_dir": folder / "uploads", "collection": collection}
    if embedding_model:
        overrides["embedding_model"] = embedding_model
    lib = Library(load_settings(**overrides))
    return lib, Engine(lib)


def evaluate_sides(eval_root: Path, limit: int | None = None, embedding_model: str | None = None,
                   max_args: int = 60, progress=None) -> dict[str, Any]:
    from debatebot.core.models import Mode, Request

    t0 = time.perf_counter()
    eval_root = Path(eval_root)
    sets = {"ibm_claim_stance": _motions(load_claim_stance(eval_root)[0], max_args),
            "argkp": _motions(load_argkp(eval_root)[0], max_args)}
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="debatebot-sides-") as tmp:
        lib, engine = temporary_engine(Path(tmp), "sides", embedding_model)
        docs = []
        for name, motions in sets.items():
            for i, (motion, args) in enumerate(list(motions.items())[: limit or None]):
                doc_id = f"{name}_{i:03d}"
                text = "\n\n".join(a if a.endswith((".", "!", "?")) else a + "." for a, _ in args)
                docs.append((name, doc_id, motion, args, text))
        for _, doc_id, motion, _, text in docs:
            lib.add_text(doc_id, text, title=motion)
        totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        points: dict[str, list[int]] = defaultdict(list)
        rebut: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        rebut_points: dict[str, list[int]] = defaultdict(list)
        decided = [0, 0]
        for name, doc_id, motion, args, _ in docs:
            if progress:
                progress(f"sides: {doc_id}")
            index = {a: g for a, g in args}
            variants = [("original", motion, 1)]
            inv = invert_motion(motion)
            if inv:
                variants.append(("inverted", inv, -1))
            for kind, m, flip in variants:
                for side in ("for", "against"):
                    ans = engine.run(Request(mode=Mode.argue, side=side, motion=m, text=m, docs=[doc_id]))
                    want = (1 if side == "for" else -1) * flip
                    n_points = 0
                    for p in ans.points:
                        n_points += 1
                        for q in p.quotes:
                            gold = _gold(index, q.text)
                            if gold is None:
                                continue
                            for key in (name, f"{name}_{kind}", "all", "leaning" if p.leaning else "sure"):
                                totals[key][0] += gold == want
                                totals[key][1] += 1
                    for key in (name, "all"):
                        points[key].append(n_points)
            for arg, gold_arg in _to_rebut(args):
                opponent: MotionSide = "for" if gold_arg > 0 else "against"
                runs: list[tuple[str, str | None, MotionSide | None]] = [
                    ("", None, None), ("_with_motion", motion, None), ("_with_motion_and_side", motion, opponent)]
                for rkind, rmotion, rside in runs:
                    ans = engine.run(Request(mode=Mode.rebut, text=arg, motion=rmotion, side=rside, docs=[doc_id]))
                    for p in ans.points:
                        for q in p.quotes:
                            gold = -gold_arg if arg in q.text or q.text in arg else _gold(index, q.text)
                            if gold is not None:
                                rebut[rkind][0] += gold == -gold_arg
                                rebut[rkind][1] += 1
                    rebut_points[rkind].append(len(ans.points))
                    if rmotion and not rside:  # the side the judge read the argument as taking, when it was sure
                        opp = ans.details.get("opponent_side")
                        decided[1] += 1
                        if opp:
                            decided[0] += 1
                            rebut["_opponent_side"][0] += opp == opponent
                            rebut["_opponent_side"][1] += 1
        for key, (right, n) in totals.items():
            out[f"side_precision_{key}" if key != "all" else "side_precision"] = metric(right / n if n else 0.0, n)
        for key, ps in points.items():
            suffix = "" if key == "all" else f"_{key}"
            out[f"side_points_mean{suffix}"] = metric(sum(ps) / len(ps) if ps else 0.0, len(ps))
            out[f"side_requests_with_3_points{suffix}"] = metric(sum(p >= 3 for p in ps) / len(ps) if ps else 0.0,
                                                                  len(ps))
            out[f"side_requests_empty{suffix}"] = metric(sum(p == 0 for p in ps) / len(ps) if ps else 0.0, len(ps))
        for kind, (right, n) in rebut.items():
            out[f"rebut_precision{kind}"] = metric(right / n if n else 0.0, n)
        out["rebut_opponent_side_decided"] = metric(decided[0] / decided[1] if decided[1] else 0.0, decided[1])
        for kind, ps in rebut_points.items():
            out[f"rebut_points_mean{kind}"] = metric(sum(ps) / len(ps) if ps else 0.0, len(ps))
    out["motions"] = len(docs)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out
