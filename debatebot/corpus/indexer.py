"""Incremental indexing: skip unchanged documents, replace changed ones, remove deleted ones,
rebuild on a model/chunker change, and recover from an interrupted run."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from debatebot.core.settings import Settings
from debatebot.core.text import SourceDocument
from debatebot.corpus.chunking import chunk_document, sentence_record_id
from debatebot.corpus.embeddings import Embedder
from debatebot.corpus.ingest import SourceFile, discover, iter_documents
from debatebot.corpus.store import SCHEMA_VERSION, Store

Progress = Callable[[int, int, str], None]  # (documents done, documents total, current doc id)


def expected_manifest(settings: Settings, embedder: Embedder) -> dict[str, Any]:
    return {
        "schema": SCHEMA_VERSION,
        "embedding_model": embedder.name,
        "dim": embedder.dim,
        "chunk_tokens": settings.index.chunk_tokens,
        "chunk_overlap": settings.index.chunk_overlap,
        "encoding": settings.index.encoding,
    }


@dataclass
class IndexReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    recovered: list[str] = field(default_factory=list)
    rebuilt: str | None = None
    chunks_written: int = 0
    sentences_written: int = 0
    tokens_embedded: int = 0
    docs_total: int = 0
    chunks_total: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return dict(self.__dict__)


class _Batch:
    """Documents whose chunks are embedded and written together (one embedding call per batch)."""

    def __init__(self) -> None:
        self.docs: list[tuple[SourceDocument, str, list]] = []
        self.n = 0

    def add(self, doc: SourceDocument, source: str, chunks: list) -> None:
        self.docs.append((doc, source, chunks))
        self.n += len(chunks)


@dataclass
class _Prepared:
    """A batch ready to embed and write: sentence and chunk records, and the texts for the model."""

    pending: list[tuple[str, str, str, str, str]]
    counts: dict[str, int]
    s_ids: list[str]
    s_metas: list[dict]
    s_lens: list[int]
    unique_texts: list[str]  # each distinct sentence of the batch once ("Getty.", a boilerplate line)
    row_of_text: list[int]  # sentence row -> row in unique_texts
    ids: list[str]
    texts: list[str]
    metas: list[dict]
    rows: list[list[int]]  # chunk -> its sentence rows


def _prepare(batch: _Batch, report: IndexReport) -> _Prepared:
    # Each sentence is embedded once, on its own; a chunk's vector is the length-weighted mean of its
    # sentences' vectors. The offline engine needs the sentence vectors at question time, and this
    # costs no more model time than embedding the chunks (overlapping sentences are embedded once).
    s_ids: list[str] = []
    s_texts: list[str] = []
    s_metas: list[dict] = []
    row_of: dict = {}
    ids: list[str] = []
    texts: list[str] = []
    metas: list[dict] = []
    rows: list = []
    for doc, _, chunks in batch.docs:
        for c in chunks:
            members = []
            for sid in c.sentence_ids:
                key = (doc.doc_id, sid)
                if key not in row_of:
                    s = doc.sentences[sid]
                    text = doc.text[s.start : s.end]
                    row_of[key] = len(s_ids)
                    s_ids.append(sentence_record_id(doc.doc_id, s.start, s.end, text))
                    s_texts.append(text)
                    s_metas.append({"doc": doc.doc_id, "chunks": c.id})
                else:  # an overlap sentence: it is in this chunk too
                    s_metas[row_of[key]]["chunks"] += "," + c.id
                members.append(row_of[key])
            ids.append(c.id)
            texts.append(doc.text[c.start : c.end])
            rows.append(members)
            metas.append({
                "doc": doc.doc_id, "title": doc.title, "start": c.start, "end": c.end,
                "paragraph": c.paragraph_start, "paragraph_end": c.paragraph_end,
                "sentence_ids": ",".join(map(str, c.sentence_ids)), "tokens": c.tokens,
            })
            report.tokens_embedded += c.tokens
    unique: dict[str, int] = {}
    row_of_text = [unique.setdefault(t, len(unique)) for t in s_texts]
    prep = _Prepared(
        pending=[(doc.doc_id, doc.title, doc.text, doc.sha256, source) for doc, source, _ in batch.docs],
        counts={doc.doc_id: len(chunks) for doc, _, chunks in batch.docs},
        s_ids=s_ids, s_metas=s_metas, s_lens=[len(t) for t in s_texts], unique_texts=list(unique),
        row_of_text=row_of_text, ids=ids, texts=texts, metas=metas, rows=rows,
    )
    report.chunks_written += len(ids)
    report.sentences_written += len(s_ids)
    batch.docs.clear()
    batch.n = 0
    return prep


def _write(store: Store, prep: _Prepared, unique_vecs: np.ndarray) -> None:
    # 1. mark every document pending (with its original text), 2. write sentences and chunks,
    # 3. mark complete. A kill between 1 and 3 leaves pending records that `Store.recover` cleans up.
    store.begin_docs(prep.pending)
    if prep.ids:
        svecs = unique_vecs[prep.row_of_text]
        store.add_sentences(prep.s_ids, svecs, prep.s_metas)
        store.add_chunks(prep.ids, mean_vectors(svecs, prep.rows, prep.s_lens), prep.texts, prep.metas)
    store.finish_docs(prep.counts)


def mean_vectors(vecs: np.ndarray, rows: list[list[int]], weights: list[int]) -> np.ndarray:
    """Unit-normalised weighted means of groups of rows of `vecs` (one per group)."""
    from scipy.sparse import csr_matrix

    w = np.asarray(weights, dtype=np.float32)
    cols = np.fromiter((i for members in rows for i in members), dtype=np.int64)
    indptr = np.cumsum([0] + [len(m) for m in rows])
    out = np.asarray(csr_matrix((w[cols], cols, indptr), shape=(len(rows), len(vecs))) @ vecs, dtype=np.float32)
    n = np.linalg.norm(out, axis=1, keepdims=True)
    return np.divide(out, n, out=out, where=n > 0)


def prepare(store: Store, settings: Settings, embedder: Embedder, report: IndexReport, rebuild: bool) -> None:
    """Recover from an interrupted run and rebuild when the manifest does not match."""
    store.check_writable()
    expected = expected_manifest(settings, embedder)
    diffs = store.check_manifest(expected)
    if rebuild or diffs:
        report.rebuilt = "requested" if rebuild and not diffs else "; ".join(diffs)
        store.reset()
    else:
        report.recovered = store.recover()
    store.write_manifest(expected, bump=False)


def index_documents(
    store: Store, settings: Settings, embedder: Embedder,
    items: Iterable[tuple[str, str, SourceDocument | None, str | None]], total: int,
    report: IndexReport, progress: Progress | None = None, batch_chunks: int = 512,
) -> None:
    """Index (name, source, document or None, error or None) items; failures are recorded, not raised.

    `source` is "file:/abs/path" for files on disk (so deleted files can be noticed) or a label."""
    existing = {r.doc_id: r for r in store.list_docs()}
    batch = _Batch()
    done = 0
    # A pipeline of two batches: the model embeds batch k (on another thread, which waits for the
    # embedder's worker threads) while this thread writes batch k-1 to Chroma and reads and chunks
    # batch k+1. Chroma holds the GIL while it writes, so the writes stay on this thread.
    model = ThreadPoolExecutor(1, thread_name_prefix="debatebot-index-embed")
    inflight: tuple[_Prepared, Future] | None = None

    def flush() -> None:
        """Start embedding the gathered batch (if any), then write the batch embedded before it."""
        nonlocal inflight
        started = None
        if batch.docs:
            prep = _prepare(batch, report)
            started = (prep, model.submit(embedder.embed, prep.unique_texts))
        if inflight is not None:
            _write(store, inflight[0], inflight[1].result())
        inflight = started

    try:
        for name, source, doc, error in items:
            done += 1
            if doc is None:
                report.failed.append({"doc": name, "error": error or "unreadable"})
                if progress:
                    progress(done, total, name)
                continue
            old = existing.get(doc.doc_id)
            if old is not None and old.status == "complete" and old.sha256 == doc.sha256:
                report.unchanged.append(doc.doc_id)
            else:
                if old is not None:
                    store.delete_doc(doc.doc_id)
                    report.updated.append(doc.doc_id)
                else:
                    report.added.append(doc.doc_id)
                ix = settings.index
                chunks = chunk_document(doc, ix.chunk_tokens, ix.chunk_overlap, ix.encoding)
                batch.add(doc, source, chunks)
                if batch.n >= batch_chunks:
                    flush()
            if progress:
                progress(done, total, doc.doc_id)
        flush()  # the last gathered batch starts; the one before it is written
        flush()  # the last batch is written
    finally:
        model.shutdown(wait=True, cancel_futures=True)


def index_paths(
    store: Store, settings: Settings, embedder: Embedder, paths: list[str | Path],
    progress: Progress | None = None, rebuild: bool = False, remove_missing: bool = True, batch_chunks: int = 512,
    discovered: tuple[list[SourceFile], list[tuple[str, str]]] | None = None,
    preloaded: dict[str, tuple[SourceDocument | None, str | None]] | None = None,
) -> IndexReport:
    """Index the files under `paths`. `discovered`: `discover(paths)` when the caller has it already;
    `preloaded`: documents already read (by doc id: the document or the reason it could not be read),
    so that slow files can be read before the index is locked."""
    t0 = time.perf_counter()
    report = IndexReport()
    files, skipped = discovered or discover(paths)  # InputError for a missing path, before any change
    report.skipped = [{"path": p, "reason": r} for p, r in skipped]
    prepare(store, settings, embedder, report, rebuild)
    pre = preloaded or {}
    rest = [sf for sf in files if sf.doc_id not in pre]
    stream = iter_documents(rest, max_chars=settings.limits.max_doc_chars,
                            max_seconds=settings.limits.max_parse_seconds, max_mb=settings.limits.max_file_mb)

    def in_order():  # the other files are read one at a time, as they are indexed
        for sf in files:
            doc, err = pre[sf.doc_id] if sf.doc_id in pre else next(stream)[1:]
            yield sf.doc_id, f"file:{sf.path}", doc, err

    items = in_order()
    index_documents(store, settings, embedder, items, len(files), report, progress, batch_chunks)
    if remove_missing:
        report.removed = _remove_missing(store, paths, {sf.doc_id for sf in files})
    store.write_manifest(expected_manifest(settings, embedder), bump=True)
    report.docs_total = len(store.list_docs())
    report.chunks_total = store.count()
    report.seconds = round(time.perf_counter() - t0, 3)
    return report


def _remove_missing(store: Store, paths: list[str | Path], seen: set[str]) -> list[str]:
    """Documents indexed earlier from inside the given folders whose files are gone."""
    from debatebot.corpus.ingest import doc_id_for

    prefixes = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            prefixes.append(doc_id_for(p, p).rstrip("/") + "/")
    removed = []
    for rec in store.list_docs():
        if rec.doc_id in seen or not rec.source.startswith("file:"):
            continue
        if any(rec.doc_id.startswith(pre) for pre in prefixes) and not Path(rec.source[5:]).exists():
            store.delete_doc(rec.doc_id)
            removed.append(rec.doc_id)
    return removed
