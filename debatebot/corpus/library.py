"""`Library`: the Python API. Owns settings, the embedder, the store and retrieval for one index.

    from debatebot import Library
    lib = Library()                      # settings from DEBATEBOT_* variables
    lib.index()                          # incremental; default: the packaged seed article
    for p in lib.search("Who said what, and when?"):
        print(p.doc, p.paragraph, p.start, p.end, p.text)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from pathlib import Path

import numpy as np

from debatebot.core.errors import DebatebotError, IndexUnavailableError, InputError
from debatebot.core.models import Passage
from debatebot.core.settings import Settings, get_settings
from debatebot.core.text import SourceDocument
from debatebot.corpus.chunking import sentence_record_id
from debatebot.corpus.embeddings import Embedder, get_embedder
from debatebot.corpus.indexer import (
    IndexReport,
    Progress,
    expected_manifest,
    index_documents,
    index_paths,
    prepare,
)
from debatebot.corpus.ingest import SourceFile, discover, iter_documents, load_text
from debatebot.corpus.retrieval import Retriever
from debatebot.corpus.store import DocRecord, Store
from debatebot.corpus.uploads import UploadProgress, UploadReport, add_files, remove_copy


class Library:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._embedder: Embedder | None = None
        self._store: Store | None = None
        self._retriever: Retriever | None = None
        self._docs_cache: tuple[int, dict[str, SourceDocument]] | None = None
        self._write_lock = threading.RLock()
        self._init_lock = threading.Lock()

    # ---- components (lazy: the CLI's `docs` does not need the embedding model) -----------------
    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            ix = self.settings.index
            self._embedder = get_embedder(ix.embedding_model, ix.embedding_batch_tokens)
        return self._embedder

    @property
    def store(self) -> Store:
        with self._init_lock:
            if self._store is None:
                self._store = Store(self.settings)
            return self._store

    @property
    def retriever(self) -> Retriever:
        if self._retriever is None:
            self._retriever = Retriever(self.store, self.embedder, self.settings)
        return self._retriever

    def _file_lock(self):
        """Inter-process writer lock for the embedded store (a second writer waits, then fails clearly)."""
        from filelock import FileLock, Timeout

        if self.settings.index.chroma_url:
            return nullcontext()  # a Chroma server serialises its own writers
        path = Path(self.settings.index.dir) / ".debatebot.lock"
        lock = FileLock(str(path), timeout=30)

        class _Guard:
            def __enter__(self_inner):
                try:
                    lock.acquire()
                except Timeout as e:
                    raise IndexUnavailableError(
                        f"The index at {self.settings.index.dir} is locked by another debatebot process.",
                        hint="Wait for it to finish, or remove the stale lock file if none is running.",
                    ) from e
                except OSError as e:
                    raise IndexUnavailableError(
                        f"Cannot lock the index at {self.settings.index.dir}: {e.strerror or e} (read-only?)."
                    ) from e

            def __exit__(self_inner, *exc):
                lock.release()

        return _Guard()

    # ---- indexing ------------------------------------------------------------------------------
    def index(self, paths: list[str | Path] | None = None, progress: Progress | None = None,
              rebuild: bool = False) -> IndexReport:
        """Index files/folders (default: the seeds folder). Unchanged documents are skipped."""
        paths = list(paths) if paths else [self.settings.index.seeds_dir]
        if rebuild:
            self._set_aside_if_corrupt()
        found = discover(paths)  # InputError for a missing path, before any change
        pre = self._read_pdfs(found[0])  # before the lock: a runaway PDF holds up no other writer
        with self._write_lock, self._file_lock():
            try:
                return index_paths(self.store, self.settings, self.embedder, paths, progress, rebuild,
                                   discovered=found, preloaded=pre)
            finally:
                self._changed()

    def _read_pdfs(self, files: list[SourceFile]) -> dict:
        """The PDFs among `files`, read (each bounded in characters and time, in a child process) before
        the index is locked: {doc id: (document, None) | (None, why it could not be read)}. Text files
        are cheap to read and stay streamed under the lock, one at a time."""
        s = self.settings
        pdfs = [sf for sf in files if sf.path.suffix.lower() == ".pdf"]
        return {sf.doc_id: (doc, err) for sf, doc, err in
                iter_documents(pdfs, max_chars=s.limits.max_doc_chars, max_seconds=s.limits.max_parse_seconds,
                               max_mb=s.limits.max_file_mb)}

    def _set_aside_if_corrupt(self) -> str | None:
        """A damaged embedded index is moved aside (never deleted) so a rebuild can start fresh."""
        from debatebot.core.errors import IndexCorruptError

        if self.settings.index.chroma_url:
            return None
        try:
            _ = self.store
            return None
        except IndexCorruptError:
            import time as _t

            path = Path(self.settings.index.dir)
            aside = path.with_name(f"{path.name}.damaged-{int(_t.time())}")
            path.rename(aside)
            try:  # chromadb caches one client per path in-process; forget the damaged one
                from chromadb.api.client import SharedSystemClient

                SharedSystemClient.clear_system_cache()
            except Exception:
                pass
            self._store = None
            return str(aside)

    def add_documents(self, docs: list[tuple[str, SourceDocument | None, str | None]],
                      progress: Progress | None = None) -> IndexReport:
        """Index already-loaded documents (uploads, API): [(source label, doc or None, error or None)]."""
        import time

        t0 = time.perf_counter()
        report = IndexReport()
        with self._write_lock, self._file_lock():
            try:
                prepare(self.store, self.settings, self.embedder, report, rebuild=False)
                items = ((d.doc_id if d else src, src, d, err) for src, d, err in docs)
                index_documents(self.store, self.settings, self.embedder, items, len(docs), report, progress)
                self.store.write_manifest(expected_manifest(self.settings, self.embedder), bump=True)
            except DebatebotError:
                raise
            except Exception as e:  # Chroma (or its server) failing mid-write: one error of our tree
                raise self.store._wrap(e, "write the index") from e
            finally:
                self._changed()
        report.docs_total = len(self.store.list_docs())
        report.chunks_total = self.store.count()
        report.seconds = round(time.perf_counter() - t0, 3)
        return report

    def add_text(self, doc_id: str, text: str, title: str | None = None) -> IndexReport:
        return self.add_documents([(f"text:{doc_id}", load_text(doc_id, text, title), None)])

    def add_files(self, files: Iterable[str | Path], progress: UploadProgress | None = None) -> UploadReport:
        """Index uploaded files: checked (type, size, name), read with the source limits, indexed as
        `uploads/<name>` and only then kept in the upload folder. Returns an UploadReport; one bad file
        is a line of its `problems`, never an exception (see `corpus.uploads`)."""
        return add_files(self.settings, self.add_documents, files, progress)

    def remove(self, doc_id: str) -> None:
        """Remove a document from the index; an uploaded document's kept copy in the upload folder goes
        with it (the app's and the CLI's `remove` alike), never any other file."""
        with self._write_lock, self._file_lock():
            record = next((r for r in self.store.list_docs() if r.doc_id == doc_id), None)
            if record is None:
                raise InputError(f"No indexed document {doc_id!r}.", hint="`debatebot docs` lists them.")
            try:
                self.store.delete_doc(doc_id)
                self.store.write_manifest(expected_manifest(self.settings, self.embedder), bump=True)
            except DebatebotError:
                raise
            except Exception as e:
                raise self.store._wrap(e, "remove the document") from e
            finally:
                self._changed()
        remove_copy(self.settings, record)

    # ---- reading -------------------------------------------------------------------------------
    def docs(self) -> list[DocRecord]:
        return self.store.list_docs()

    def generation(self) -> int:
        """Changes whenever the index changes (cheap: re-read at most once a second)."""
        return self.retriever.state()[0] if self._retriever is not None else self.store.generation()

    def _changed(self) -> None:
        if self._retriever is not None:
            self._retriever.invalidate()

    def documents(self) -> dict[str, SourceDocument]:
        """Every complete document, parsed (cached until the index changes)."""
        gen = self.generation()
        cached = self._docs_cache
        if cached is not None and cached[0] == gen:
            return cached[1]
        docs = {i: SourceDocument.from_text(i, text, title or None) for i, (title, text) in self.store.doc_texts().items()}
        self._docs_cache = (gen, docs)
        return docs

    def search(self, query: str, k: int | None = None, docs: list[str] | None = None) -> list[Passage]:
        """Hybrid search; every passage's text is `documents()[p.doc].text[p.start:p.end]`."""
        self.store.require_compatible(expected_manifest(self.settings, self.embedder))
        return self.retriever.search(query, k, docs)

    def sentence_vectors(self, passages: list[Passage], docs: dict[str, SourceDocument],
                         skip: Callable[[str], bool] | None = None) -> list[tuple[str, np.ndarray]]:
        """(sentence text, stored vector) for the sentences of `passages` (those `skip` does not
        exclude), read from the index instead of embedded again. Missing vectors are left out."""
        want: dict[str, str] = {}
        for p in passages:
            d = docs.get(p.doc)
            if d is None:
                continue
            for s in d.sentences_between(p.start, p.end):
                text = d.text[s.start : s.end]
                if skip is None or not skip(text):
                    want.setdefault(sentence_record_id(d.doc_id, s.start, s.end, text), text)
        found = self.store.sentence_vectors(list(want))
        return [(want[i], v) for i, v in found.items()]

    def status(self) -> dict:
        recs = self.docs()
        return {"documents": len(recs), "chunks": self.store.count(),
                "store": self.settings.index.chroma_url or str(self.settings.index.dir),
                "embedding_model": self.settings.index.embedding_model}
