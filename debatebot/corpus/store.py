"""The vector store: one module owns Chroma (embedded `PersistentClient` or `HttpClient`).

Three collections per index:
- `<name>_chunks`: one record per chunk (embedding; text and citation offsets in metadata). Its collection
  metadata is the manifest (schema, embedding model, chunker) and a generation counter.
- `<name>_docs`: one record per document: the original text and its status ("pending" while its
  chunks are being written, "complete" after). A pending record found later means an interrupted
  run: `recover()` removes its partial chunks so the next `index` writes it again.
- `<name>_sentences`: one record per source sentence, its embedding (no text: the document holds
  it). The offline engine reads these instead of embedding sentences at question time.
Keeping all in Chroma means the manifest, the BM25 side and the sentence vectors work the same in
server mode."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from debatebot.core.errors import DebatebotError, IndexCorruptError, IndexMismatchError, IndexUnavailableError
from debatebot.core.settings import Settings

# 2: sentence vectors stored; a chunk's vector is the mean of its sentences'.
# 3: chunk text kept in the chunk's metadata, not as a Chroma document (Chroma full-text-indexes
#    every document, which debatebot never queries: writing chunks cost twice as much).
SCHEMA_VERSION = 3
_DOC_VEC = [1.0]  # documents are not searched by vector; Chroma still wants one per record


@dataclass
class DocRecord:
    doc_id: str
    title: str
    sha256: str
    status: str
    chunks: int
    chars: int
    source: str
    indexed_at: float

    def to_json(self) -> dict[str, Any]:
        return {
            "doc": self.doc_id, "title": self.title, "chunks": self.chunks, "chars": self.chars,
            "status": self.status, "sha256": self.sha256, "source": self.source, "indexed_at": self.indexed_at,
        }


def _chroma_settings():
    from chromadb.config import Settings as ChromaSettings

    return ChromaSettings(anonymized_telemetry=False, allow_reset=True)


def make_client(settings: Settings):
    """Embedded client under index_dir, or an HTTP client when chroma_url is set."""
    import chromadb

    if settings.index.chroma_url:
        from urllib.parse import urlparse

        u = urlparse(settings.index.chroma_url)
        headers = {}
        if settings.index.chroma_token is not None:
            headers["Authorization"] = f"Bearer {settings.index.chroma_token.get_secret_value()}"
        try:
            _probe(settings)  # a hung server fails here, within chroma_timeout, not in the constructor
            client = chromadb.HttpClient(
                host=u.hostname or "127.0.0.1", port=u.port or (443 if u.scheme == "https" else 8000),
                ssl=u.scheme == "https", headers=headers or None, settings=_chroma_settings(),
                tenant=settings.index.chroma_tenant, database=settings.index.chroma_database,
            )
            set_timeout(client, settings.index.chroma_timeout)
            return client
        except IndexUnavailableError:
            raise
        except Exception as e:
            raise IndexUnavailableError(
                f"Cannot reach the Chroma server at {settings.index.chroma_url} ({type(e).__name__}).",
                hint="Start it (chroma run --path DIR --host 127.0.0.1 --port 8000) or unset DEBATEBOT_CHROMA_URL.",
            ) from e
    path = Path(settings.index.dir)
    if path.exists() and not path.is_dir():
        raise IndexCorruptError(f"The index path {path} is a file, not a folder.", hint="Set DEBATEBOT_INDEX_DIR to a folder.")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise IndexUnavailableError(f"Cannot create the index folder {path}: {e.strerror or e}") from e
    try:
        return chromadb.PersistentClient(path=str(path), settings=_chroma_settings())
    except Exception as e:
        low = str(e).lower()
        if "readonly" in low or "read-only" in low or not os.access(path, os.W_OK):
            raise IndexUnavailableError(
                f"The index folder {path} is read-only: Chroma needs write access even to open it; nothing was changed.",
                hint="Fix its permissions, or copy it to a writable folder and set DEBATEBOT_INDEX_DIR.",
            ) from e
        if "locked" in low:
            raise IndexUnavailableError(f"The index folder {path} is locked by another process.") from e
        raise IndexCorruptError(
            f"The index folder {path} is not a readable Chroma index ({type(e).__name__}: {e}).",
            hint=f"Move it away or run `debatebot index --rebuild` to start a fresh index in {path}.",
        ) from e


def _probe(settings: Settings) -> None:
    """One heartbeat with a deadline before the client is built (its constructor already makes requests,
    with no timeout of its own)."""
    import httpx

    url = (settings.index.chroma_url or "").rstrip("/") + "/api/v2/heartbeat"
    try:
        httpx.get(url, timeout=settings.index.chroma_timeout)
    except httpx.TimeoutException as e:
        raise IndexUnavailableError(
            f"The Chroma server at {settings.index.chroma_url} did not answer within "
            f"{settings.index.chroma_timeout:g} s.",
            hint="Check that it is running and not stopped or overloaded (DEBATEBOT_CHROMA_TIMEOUT sets the wait).",
        ) from e
    except httpx.HTTPError:
        pass  # refused, bad URL, HTTP error...: the client's own error says which, below


def set_timeout(client, seconds: float) -> None:
    """Give every request of a chromadb HttpClient a deadline. chromadb builds its httpx session with
    timeout=None and has no setting for it (1.5.x), so the session (one per client) is set here."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(seconds)


# Sentence vectors are searched: a graph built with a shorter candidate list (ef_construction 40,
# Chroma's default is 100) and searched with a longer one (ef_search 400, default 100) finds more of
# the true nearest sentences than Chroma's defaults for less write time and about 1 ms more per query
# (benchmarks/sentence_graph.py measures both). A collection keeps the configuration it was created with.
SENTENCE_HNSW = {"space": "cosine", "ef_construction": 40, "ef_search": 400}


class Store:
    def __init__(self, settings: Settings, client=None) -> None:
        self.settings = settings
        self.client = client if client is not None else make_client(settings)
        self.chunks_name = f"{settings.index.collection}_chunks"
        self.docs_name = f"{settings.index.collection}_docs"
        self.sentences_name = f"{settings.index.collection}_sentences"
        self._open()

    def _open(self) -> None:
        try:
            # Chunk vectors are only read by id (MMR), never searched: their HNSW graph is built
            # as cheaply as Chroma allows (a third less CPU per write). An existing collection
            # keeps the configuration it was created with.
            self.chunks = self.client.get_or_create_collection(
                self.chunks_name, embedding_function=None,
                configuration={"hnsw": {"space": "cosine", "ef_construction": 8, "max_neighbors": 4}},
            )
            self.docs = self.client.get_or_create_collection(self.docs_name, embedding_function=None)
            self.sentences = self.client.get_or_create_collection(
                self.sentences_name, embedding_function=None, configuration={"hnsw": dict(SENTENCE_HNSW)}
            )
        except Exception as e:
            raise self._wrap(e, "open the index") from e

    # ---- errors --------------------------------------------------------------------------------
    def _wrap(self, e: Exception, doing: str) -> Exception:
        msg = f"{type(e).__name__}: {e}"
        where = self.settings.index.chroma_url or str(self.settings.index.dir)
        if isinstance(e, DebatebotError):
            return e
        if type(e).__name__ in ("ReadTimeout", "WriteTimeout", "ConnectTimeout", "PoolTimeout", "TimeoutException"):
            return IndexUnavailableError(
                f"Cannot {doing}: the Chroma server at {where} did not answer within "
                f"{self.settings.index.chroma_timeout:g} s.",
                hint="Check that it is running and not stopped or overloaded; the next request tries again.")
        low = msg.lower()
        if "readonly" in low or "read-only" in low or "permission" in low:
            return IndexUnavailableError(f"Cannot {doing}: the index at {where} is read-only.", hint="Check its permissions.")
        if "no space" in low or "disk" in low and "full" in low:
            return IndexUnavailableError(f"Cannot {doing}: the disk holding {where} is full.")
        if "locked" in low:
            return IndexUnavailableError(f"Cannot {doing}: the index at {where} is locked by another process.")
        if "connect" in low or "connection" in low or "timed out" in low:
            return IndexUnavailableError(
                f"Cannot {doing}: the Chroma server at {where} is unreachable.", hint="Check that it is running."
            )
        if "database disk image is malformed" in low or "not a database" in low or "corrupt" in low:
            return IndexCorruptError(
                f"Cannot {doing}: the index at {where} is damaged.", hint="Run `debatebot index --rebuild`."
            )
        return IndexUnavailableError(f"Cannot {doing} at {where} ({msg}).")

    def check_writable(self) -> None:
        if self.settings.index.chroma_url:
            return
        path = Path(self.settings.index.dir)
        targets = [path] + [p for p in path.glob("*.sqlite3")]
        for t in targets:
            if not os.access(t, os.W_OK):
                raise IndexUnavailableError(
                    f"The index folder {path} is read-only: nothing was changed.",
                    hint="Fix its permissions or set DEBATEBOT_INDEX_DIR to a writable folder.",
                )

    # ---- manifest ------------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        return dict(self.chunks.metadata or {})

    def check_manifest(self, expected: dict[str, Any]) -> list[str]:
        """Differences between the stored manifest and `expected` (empty list: compatible)."""
        if self.manifest().get("schema") == 2 and expected.get("schema") == 3:
            self._upgrade_2_to_3()
        stored = self.manifest()
        if not stored.get("schema"):
            return [] if self.chunks.count() == 0 else ["index written by an unknown version"]
        diffs = []
        for key, value in expected.items():
            if stored.get(key) == value:
                continue
            if key == "schema":
                diffs.append(f"index format {stored.get(key)!r} was written by another debatebot version "
                             f"(this one reads format {value!r})")
            else:
                diffs.append(f"{key}: index has {stored.get(key)!r}, settings ask for {value!r}")
        return diffs

    def _upgrade_2_to_3(self, page: int = 1000) -> None:
        """Format 3 only moved chunk text from Chroma documents into chunk metadata: copy it over in
        place (no re-embedding, nothing lost). Each page is one metadata update, so an interrupted
        upgrade simply continues next time. Without write access, or for an early format-2 index whose
        sentence records do not name their chunks, the index stays as it was and is reported as
        written by another version (`index` rebuilds it)."""
        try:
            sample = self.sentences.get(limit=1, include=["metadatas"])["metadatas"]
            if sample and "chunks" not in (sample[0] or {}):
                return
            offset = 0
            while True:
                got = self.chunks.get(limit=page, offset=offset, include=["documents", "metadatas"])
                if not got["ids"]:
                    break
                todo = [(i, d) for i, d, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [])
                        if d is not None and "text" not in (m or {})]
                if todo:
                    self.chunks.update(ids=[i for i, _ in todo], metadatas=[{"text": d} for _, d in todo])
                offset += len(got["ids"])
            meta = dict(self.chunks.metadata or {})
            meta["schema"] = 3
            self.chunks.modify(metadata=meta)
        except Exception:  # read-only or unreachable: the version check names the old format
            return

    def require_compatible(self, expected: dict[str, Any]) -> None:
        diffs = self.check_manifest(expected)
        if diffs:
            raise IndexMismatchError(
                "The index was built with different settings: " + "; ".join(diffs) + ".",
                hint="Run `debatebot index` to rebuild it with the current settings.",
            )

    def write_manifest(self, expected: dict[str, Any], bump: bool = True) -> None:
        meta = self.manifest()
        meta.update(expected)
        meta["generation"] = int(meta.get("generation", 0)) + (1 if bump else 0)
        meta["updated_at"] = time.time()
        meta.pop("hnsw:space", None)
        self.chunks.modify(metadata=meta)

    def generation(self) -> int:
        try:
            col = self.client.get_collection(self.chunks_name, embedding_function=None)
        except Exception as e:
            raise self._wrap(e, "read the index") from e
        return int((col.metadata or {}).get("generation", 0))

    def reset(self) -> None:
        """Drop every collection (used for a rebuild after a model/chunker change)."""
        for name in (self.chunks_name, self.docs_name, self.sentences_name):
            try:
                self.client.delete_collection(name)
            except Exception:
                pass
        self._open()

    # ---- documents -----------------------------------------------------------------------------
    def list_docs(self) -> list[DocRecord]:
        try:
            got = self.docs.get(include=["metadatas"])
        except Exception as e:
            raise self._wrap(e, "list documents") from e
        out = []
        for doc_id, m in zip(got["ids"], got["metadatas"] or []):
            m = m or {}
            out.append(DocRecord(doc_id, str(m.get("title", "")), str(m.get("sha256", "")), str(m.get("status", "")),
                                 int(m.get("chunks", 0)), int(m.get("chars", 0)), str(m.get("source", "")),
                                 float(m.get("indexed_at", 0.0))))
        return sorted(out, key=lambda r: r.doc_id)

    def doc_texts(self, doc_ids: list[str] | None = None) -> dict[str, tuple[str, str]]:
        """doc_id -> (title, original text) of complete documents."""
        try:
            got = self.docs.get(ids=doc_ids, include=["documents", "metadatas"]) if doc_ids else \
                self.docs.get(include=["documents", "metadatas"])
        except Exception as e:
            raise self._wrap(e, "read documents") from e
        return {
            i: (str((m or {}).get("title", "")), t or "")
            for i, t, m in zip(got["ids"], got["documents"] or [], got["metadatas"] or [])
            if (m or {}).get("status") == "complete"
        }

    def begin_doc(self, doc_id: str, title: str, text: str, sha256: str, source: str) -> None:
        self.begin_docs([(doc_id, title, text, sha256, source)])

    def begin_docs(self, items: list[tuple[str, str, str, str, str]]) -> None:
        """Record documents as pending (with their original text) before their chunks are written."""
        if not items:
            return
        now = time.time()
        ids = [i[0] for i in items]
        metas = [{"title": t, "sha256": h, "status": "pending", "chunks": 0, "chars": len(x), "source": src,
                  "indexed_at": now} for _, t, x, h, src in items]
        self.docs.upsert(ids=ids, embeddings=[_DOC_VEC] * len(ids), documents=[i[2] for i in items], metadatas=metas)

    def finish_docs(self, chunks_by_doc: dict[str, int]) -> None:
        """Mark documents complete once all their chunks are written."""
        if not chunks_by_doc:
            return
        now = time.time()
        ids = list(chunks_by_doc)  # an update changes only the keys it names (the text stays)
        self.docs.update(ids=ids, metadatas=[{"status": "complete", "chunks": chunks_by_doc[i], "indexed_at": now}
                                             for i in ids])

    def delete_doc(self, doc_id: str) -> None:
        self.delete_docs([doc_id])

    def delete_docs(self, doc_ids: list[str], batch: int = 500) -> None:
        """Delete documents with their chunks and sentences (the document record last: a crash in
        between leaves it for the next run to finish, never an orphan chunk)."""
        for a in range(0, len(doc_ids), batch):
            part = doc_ids[a : a + batch]
            where = {"doc": part[0]} if len(part) == 1 else {"doc": {"$in": part}}
            self.chunks.delete(where=where)
            self.sentences.delete(where=where)
            self.docs.delete(ids=part)

    def recover(self) -> list[str]:
        """Remove what an interrupted run left (pending documents and their chunks)."""
        pending = [r.doc_id for r in self.list_docs() if r.status != "complete"]
        self.delete_docs(pending)
        return pending

    # ---- chunks --------------------------------------------------------------------------------
    def add_chunks(self, ids: list[str], embeddings: np.ndarray, texts: list[str], metas: list[dict]) -> None:
        step = max(1, min(5000, self.client.get_max_batch_size()))
        for a in range(0, len(ids), step):
            self.chunks.upsert(ids=ids[a : a + step], embeddings=embeddings[a : a + step],
                               metadatas=[dict(m, text=t) for m, t in zip(metas[a : a + step], texts[a : a + step])])

    def add_sentences(self, ids: list[str], embeddings: np.ndarray, metas: list[dict]) -> None:
        step = max(1, min(5000, self.client.get_max_batch_size()))
        for a in range(0, len(ids), step):
            self.sentences.upsert(ids=ids[a : a + step], embeddings=embeddings[a : a + step],
                                  metadatas=metas[a : a + step])

    def sentence_vectors(self, ids: list[str]) -> dict[str, np.ndarray]:
        """Stored sentence embeddings by record id (ids not stored are simply absent)."""
        if not ids:
            return {}
        try:
            got = self.sentences.get(ids=list(dict.fromkeys(ids)), include=["embeddings"])
        except Exception as e:
            raise self._wrap(e, "read sentence vectors") from e
        embs = got.get("embeddings")
        if embs is None or len(got["ids"]) == 0:
            return {}
        arr = np.asarray(embs, dtype=np.float32)
        return {i: arr[k] for k, i in enumerate(got["ids"])}

    def query_sentences(self, embedding: np.ndarray, n: int, docs: list[str] | None = None) -> list[list[str]]:
        """For the `n` sentences nearest to `embedding` (nearest first), the ids of the chunks holding each."""
        where = None
        if docs:
            where = {"doc": docs[0]} if len(docs) == 1 else {"doc": {"$in": list(docs)}}
        try:
            r = self.sentences.query(query_embeddings=embedding.reshape(1, -1), n_results=n, where=where,
                                     include=["metadatas"])
        except Exception as e:
            raise self._wrap(e, "search the index") from e
        return [str(m.get("chunks", "")).split(",") for m in r["metadatas"][0]]

    def count(self) -> int:
        try:
            return self.chunks.count()
        except Exception as e:
            raise self._wrap(e, "count chunks") from e

    def all_chunks(self, batch: int = 5000):
        """Yield (ids, texts, metadatas) batches of every chunk (for the BM25 index)."""
        total = self.count()
        for offset in range(0, total, batch):
            try:
                got = self.chunks.get(limit=batch, offset=offset, include=["metadatas"])
            except Exception as e:
                raise self._wrap(e, "read the chunks") from e
            metas = [dict(m) for m in got["metadatas"]]
            yield got["ids"], [str(m.pop("text", "")) for m in metas], metas

    def embeddings_for(self, ids: list[str]) -> dict[str, np.ndarray]:
        if not ids:
            return {}
        try:
            got = self.chunks.get(ids=ids, include=["embeddings"])
        except Exception as e:
            raise self._wrap(e, "read chunk vectors") from e
        return {i: np.asarray(e, dtype=np.float32) for i, e in zip(got["ids"], got["embeddings"])}
