"""Claim-verdict evaluation on WiCE (claim vs cited web page) and FRANK (summary vs news article).

Every metric is {"value": float, "n": int}, named uniquely ("wice_...", "frank_...") because the
eval runner flattens sections by metric name. The data is read from `eval_root` (../shared/eval) and
never copied into the repository.

WiCE evidence recall@5 (`wice_evidence_recall@5`, "best-group recall@5"): WiCE lists alternative minimal sets of gold evidence
sentences per claim; for each claim with gold evidence we take the best set's share of sentences
that appear in our top 5, then average. Also reported: the strict variant (1 if some gold set is
entirely in the top 5) and the share of all gold sentence indices in the top 5.

Cost: only each claim's lexical top WICE_DENSE_POOL sentences (FRANK: FRANK_DENSE_POOL per summary
sentence) are embedded; the rest rank by BM25 and coverage alone (see `pooled_vectors`).
"""

from __future__ import annotations

import ast
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from debatebot.core.errors import EvalDataError, InputError
from debatebot.core.text import SourceDocument
from debatebot.corpus.embeddings import Embedder
from debatebot.verify.claims import EvidenceCandidate, check_claim, rank_evidence, split_claim

WICE_DENSE_POOL = 10  # sentences per claim (lexical top) that get embedded
FRANK_DENSE_POOL = 3  # article sentences per summary sentence (lexical top) that get embedded

WICE_TO_VERDICT = {
    "supported": "supported",
    "partly_supported": "partially_supported",
    "contradicted": "not_supported",
    "not_in_sources": "not_supported",
}


def metric(value: float, n: int) -> dict[str, float | int]:
    return {"value": round(float(value), 4), "n": int(n)}


def balanced_accuracy(gold: list[bool], pred: list[bool]) -> float:
    """Mean of the recall on the positive and on the negative class (0.5 = chance)."""
    g, p = np.asarray(gold, bool), np.asarray(pred, bool)
    recalls = [float(np.mean(p[g == cls] == cls)) for cls in (True, False) if np.any(g == cls)]
    return float(np.mean(recalls)) if recalls else 0.0


def _read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.is_file():
        raise EvalDataError(f"Evaluation file not found: {path}", hint="Point eval_root at ../shared/eval.")
    with path.open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            if line.strip():
                try:
                    yield json.loads(line)
                except json.JSONDecodeError as e:
                    raise EvalDataError(f"{path}:{line_no} is not valid JSON: {e}") from e


def _pool(queries: list[str], texts: list[str], pool: int) -> list[int]:
    keep: set[int] = set()
    for q in queries:
        keep.update(rank_evidence(q, texts, None, pool))
    return sorted(keep)


def pooled_vectors_many(jobs: list[tuple[list[str], list[str]]], embedder: Embedder | None,
                        pool: int) -> list[np.ndarray | None]:
    """For each (queries, texts) job: embeddings of the texts that rank in the lexical top `pool`
    for any query; other rows are zero (cosine 0), so they still rank by BM25 and coverage.
    Embedding every sentence of every WiCE page costs ~10x more for a small gain. All jobs are
    embedded in one call, so the model batches texts of similar length (little padding)."""
    if embedder is None:
        return [None] * len(jobs)
    picks = [_pool(q, t, pool) if t else [] for q, t in jobs]
    flat = [jobs[j][1][i] for j, idx in enumerate(picks) for i in idx]
    vecs = embedder.embed(flat) if flat else np.zeros((0, embedder.dim), dtype=np.float32)
    out: list[np.ndarray | None] = []
    pos = 0
    for (_, texts), idx in zip(jobs, picks):
        v = np.zeros((len(texts), embedder.dim), dtype=np.float32)
        if idx:
            v[idx] = vecs[pos : pos + len(idx)]
        pos += len(idx)
        out.append(v if texts else None)
    return out


def pooled_vectors(queries: list[str], texts: list[str], embedder: Embedder | None,
                   pool: int) -> np.ndarray | None:
    """`pooled_vectors_many` for one job."""
    return pooled_vectors_many([(queries, texts)], embedder, pool)[0]


def _candidates(sentences: list[str], doc: str) -> list[EvidenceCandidate]:
    """Sentence list -> candidates with offsets into the sentences joined by newlines."""
    out, pos = [], 0
    for s in sentences:
        out.append(EvidenceCandidate(s, doc, pos, pos + len(s)))
        pos += len(s) + 1
    return out


def evaluate_wice(eval_root: Path, embedder: Embedder | None, limit: int | None = None) -> dict[str, Any]:
    """Verdicts and evidence ranking on WiCE claim_dev.jsonl.

    Metrics: 3-way verdict accuracy (supported / partially_supported / not_supported, with our
    contradicted and not_in_sources both mapped to not_supported), balanced accuracy of supported vs
    not (partially and not supported together), and evidence recall@5 (see the module docstring)."""
    t0, c0 = time.perf_counter(), time.process_time()
    rows = list(_read_jsonl(Path(eval_root) / "wice" / "claim_dev.jsonl"))[:limit]
    gold3, pred3, best_group, strict, union_hits, union_total = [], [], [], [], 0, 0
    confusion: dict[str, dict[str, int]] = {}
    try:
        jobs = [([r["claim"], *split_claim(r["claim"])], list(r["evidence"])) for r in rows]
        labels = [r["label"] for r in rows]
    except KeyError as e:
        raise EvalDataError(f"WiCE row without field {e}") from e
    all_vectors = pooled_vectors_many(jobs, embedder, WICE_DENSE_POOL)
    for r, (queries, sentences), label, vectors in zip(rows, jobs, labels, all_vectors):
        claim = queries[0]
        top5 = set(rank_evidence(claim, sentences, embedder, 5, vectors=vectors))
        groups = [g for g in r.get("supporting_sentences") or [] if g]
        if groups:
            best_group.append(max(len(top5 & set(g)) / len(set(g)) for g in groups))
            strict.append(float(any(set(g) <= top5 for g in groups)))
            gold_ids = {i for g in groups for i in g}
            union_hits += len(gold_ids & top5)
            union_total += len(gold_ids)
        try:
            verdict = check_claim(claim, _candidates(sentences, "wice"), embedder, vectors=vectors).verdict
        except InputError:  # nothing checkable in the claim
            verdict = "not_in_sources"
        pred = WICE_TO_VERDICT[verdict]
        gold3.append(label)
        pred3.append(pred)
        confusion.setdefault(label, {}).setdefault(verdict, 0)
        confusion[label][verdict] += 1
    n = len(rows)
    acc = float(np.mean([g == p for g, p in zip(gold3, pred3)])) if n else 0.0
    bal = balanced_accuracy([g == "supported" for g in gold3], [p == "supported" for p in pred3])
    return {
        "wice_verdict_accuracy_3way": metric(float(acc), n),
        "wice_balanced_accuracy": metric(float(bal), n),
        "wice_evidence_recall@5": metric(float(np.mean(best_group)) if best_group else 0.0, len(best_group)),
        "wice_evidence_recall@5_strict": metric(float(np.mean(strict)) if strict else 0.0, len(strict)),
        "wice_evidence_recall@5_all_gold_sentences": metric(union_hits / union_total if union_total else 0.0,
                                                        union_total),
        "wice_confusion": confusion,
        "seconds": round(time.perf_counter() - t0, 2),
        "cpu_seconds": round(time.process_time() - c0, 2),
    }


def _summary_sentences(row: dict[str, Any]) -> list[str]:
    lines = row.get("summary_lines")
    if isinstance(lines, str):
        try:
            lines = ast.literal_eval(lines)
        except (ValueError, SyntaxError):
            lines = None
    if isinstance(lines, list) and all(isinstance(x, str) for x in lines) and lines:
        return [x.strip() for x in lines if x.strip()]
    doc = SourceDocument.from_text("summary", str(row.get("summary", "")))
    return [doc.sentence_text(s) for s in doc.sentences]


def evaluate_frank(eval_root: Path, embedder: Embedder | None, limit: int | None = None) -> dict[str, Any]:
    """Summary factuality on FRANK (valid split): a summary is predicted factual when every one of
    its sentences is judged supported by its article. Balanced accuracy against `label` (1 = factual)."""
    t0, c0 = time.perf_counter(), time.process_time()
    root = Path(eval_root) / "frank"
    articles = {a["hash"]: a["article"] for a in _read_jsonl(root / "articles_valid.jsonl")}
    summaries = [s for s in _read_jsonl(root / "summaries_valid.jsonl") if s.get("hash") in articles][:limit]
    summary_sents = [_summary_sentences(s) for s in summaries]
    by_article: dict[str, list[str]] = {}
    for s, sents in zip(summaries, summary_sents):
        by_article.setdefault(s["hash"], []).extend(sents)
    cands_of: dict[str, list[EvidenceCandidate]] = {}
    for h in by_article:
        doc = SourceDocument.from_text(h, articles[h])
        cands_of[h] = [EvidenceCandidate(doc.sentence_text(x), h, x.start, x.end) for x in doc.sentences]
    vecs_of = dict(zip(by_article, pooled_vectors_many(
        [(by_article[h], [c.text for c in cands_of[h]]) for h in by_article], embedder, FRANK_DENSE_POOL)))
    gold: list[bool] = []
    pred: list[bool] = []
    per_dataset: dict[str, tuple[list, list]] = {}
    for s, sents in zip(summaries, summary_sents):
        h = s["hash"]
        cands, vecs = cands_of[h], vecs_of[h]
        verdicts = []
        for sent in sents:
            try:
                verdicts.append(check_claim(sent, cands, embedder, vectors=vecs).verdict)
            except InputError:  # nothing checkable in this sentence (punctuation, stopwords only)
                continue
        factual = bool(verdicts) and all(v == "supported" for v in verdicts)
        gold.append(int(s["label"]) == 1)
        pred.append(factual)
        per_dataset.setdefault(s.get("dataset", "?"), ([], []))
        per_dataset[s.get("dataset", "?")][0].append(gold[-1])
        per_dataset[s.get("dataset", "?")][1].append(factual)
    out: dict[str, Any] = {
        "frank_balanced_accuracy": metric(balanced_accuracy(gold, pred), len(gold)),
        "frank_accuracy": metric(float(np.mean([g == p for g, p in zip(gold, pred)])) if gold else 0.0, len(gold)),
    }
    for name, (g, p) in sorted(per_dataset.items()):
        out[f"frank_balanced_accuracy_{name}"] = metric(balanced_accuracy(g, p), len(g))
    out["seconds"] = round(time.perf_counter() - t0, 2)
    out["cpu_seconds"] = round(time.process_time() - c0, 2)
    return out
