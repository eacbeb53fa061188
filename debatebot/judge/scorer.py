"""The judge model on onnxruntime: NLI and stance probabilities for text pairs, cached.

The model (weights/judge.onnx, int8) is a MiniLM-L6 cross-encoder with six logits: [0:3] NLI
(entailment, neutral, contradiction) of a premise towards a hypothesis, [3:6] stance (pro, con,
neither) of a text towards a motion. weights/manifest.json records its training data, seed,
steps and dev metrics; `training/train_judge.py` rebuilds it (`make train`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np

from debatebot.core.errors import ConfigError
from debatebot.core.onnx_models import OnnxEncoder, minilm_tokenizer

ENTAIL, NEUTRAL, CONTRA = 0, 1, 2
PRO, CON, NEITHER = 0, 1, 2


def weights_dir() -> Path:
    return Path(str(resources.files("debatebot.judge") / "weights"))


@dataclass(frozen=True)
class JudgeInfo:
    path: Path
    sha256: str
    max_len: int
    manifest: dict


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class Judge:
    """Scores (premise, hypothesis) pairs. Thread-safe; results memoised by pair (LRU)."""

    def __init__(self, folder: Path | None = None, cache_items: int = 100_000) -> None:
        folder = Path(folder) if folder else weights_dir()
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise ConfigError(f"The judge model's manifest is missing: {manifest_path}.",
                              hint="Reinstall debatebot, or rebuild the model with `make train`.")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        model = folder / manifest.get("file", "judge.onnx")
        self.info = JudgeInfo(path=model, sha256=manifest.get("sha256", ""), max_len=int(manifest.get("max_len", 128)),
                              manifest=manifest)
        tok = folder / "tokenizer.json"
        self._encoder = OnnxEncoder(model, tok if tok.is_file() else minilm_tokenizer(), self.info.max_len)
        self._cache: OrderedDict[tuple[str, str], np.ndarray] = OrderedDict()
        self._max = cache_items
        self._lock = threading.Lock()

    def verify_files(self) -> bool:
        """True when the model file is the one its manifest names (sha256)."""
        h = hashlib.sha256(self.info.path.read_bytes()).hexdigest()
        return h == self.info.sha256

    def logits(self, a: Sequence[str], b: Sequence[str]) -> np.ndarray:
        """Six raw logits per pair, (n, 6)."""
        if len(a) != len(b):
            raise ValueError("premises and hypotheses differ in number")
        keys = list(zip(a, b))
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            enc = self._encoder.tokenize([k[0] for k in missing], [k[1] for k in missing])
            rows = self._encoder.run(enc, lambda out, _mask: out, per_row=True)
            with self._lock:
                for k, r in zip(missing, rows):
                    self._cache[k] = np.asarray(r, dtype=np.float32)
                while len(self._cache) > self._max:
                    self._cache.popitem(last=False)
        out = np.zeros((len(keys), 6), dtype=np.float32)
        with self._lock:
            for i, k in enumerate(keys):
                v = self._cache.get(k)
                if v is None:
                    v = self._encoder.run(self._encoder.tokenize([k[0]], [k[1]]), lambda o, _m: o, per_row=True)[0]
                out[i] = v
        return out

    def clear(self) -> None:
        """Forget every memoised score (benchmarks measure answers without cache hits)."""
        with self._lock:
            self._cache.clear()

    def nli(self, premises: Sequence[str], hypotheses: Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities: entailment, neutral, contradiction of each premise towards its hypothesis."""
        if not premises:
            return np.zeros((0, 3), dtype=np.float32)
        return _softmax(self.logits(premises, hypotheses)[:, :3])

    def stance(self, texts: Sequence[str], motion: str | Sequence[str]) -> np.ndarray:
        """(n, 3) probabilities: pro, con, neither of each text towards `motion` (one motion for all, or
        one per text: several motions are then scored in one batch)."""
        if not texts:
            return np.zeros((0, 3), dtype=np.float32)
        motions = [motion] * len(texts) if isinstance(motion, str) else list(motion)
        return _softmax(self.logits(texts, motions)[:, 3:])


_JUDGE_LOCK = threading.Lock()


def get_judge(folder: str | None = None) -> Judge:
    """The packaged judge, loaded once per process (also when two threads ask at once: a warm-up
    thread and the answer)."""
    with _JUDGE_LOCK:
        return _get_judge(folder)


@lru_cache(maxsize=2)
def _get_judge(folder: str | None) -> Judge:
    return Judge(Path(folder) if folder else None)
