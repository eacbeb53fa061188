"""The judge model on onnxruntime: NLI and stance probabilities for text pairs, cached.

The model (weights/judge.onnx, int8) is a MiniLM-L6 cross-encoder with six logits: [0:3] NLI
(entailment, neutral, contradiction) of a premise towards a hypothesis, [3:6] stance (pro, con,
neither) of a text towards a motion. weights/manifest.json records its training data, seed,
steps and dev metrics; `training/train_judge.py` rebuilds it (`make train`).

When the manifest names a `stance_file` (a second model of the same architecture, trained further on
stance: `train_judge.py export --as-stance`), stance is read from that model and NLI from the first:
one network can then learn news stance without its NLI head forgetting what the claim checks need.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

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
    stance_path: Path | None = None  # the stance model, when it is a file of its own
    stance_sha256: str = ""


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


class Judge:
    """Scores (premise, hypothesis) pairs. Thread-safe; results memoised by pair (LRU)."""

    def __init__(self, folder: Path | None = None, cache_items: int | None = None) -> None:
        """`cache_items`: pairs memoised (default: the `judge.cache_items` setting)."""
        if cache_items is None:
            from debatebot.core.settings import get_settings

            cache_items = get_settings().judge.cache_items
        folder = Path(folder) if folder else weights_dir()
        manifest_path = folder / "manifest.json"
        if not manifest_path.is_file():
            raise ConfigError(f"The judge model's manifest is missing: {manifest_path}.",
                              hint="Reinstall debatebot, or rebuild the model with `make train`.")
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        model = folder / manifest.get("file", "judge.onnx")
        stance = folder / manifest["stance_file"] if manifest.get("stance_file") else None
        self.info = JudgeInfo(path=model, sha256=manifest.get("sha256", ""), max_len=int(manifest.get("max_len", 128)),
                              manifest=manifest, stance_path=stance, stance_sha256=manifest.get("stance_sha256", ""))
        tok = folder / "tokenizer.json"
        tokenizer = tok if tok.is_file() else minilm_tokenizer()
        self._encoder = OnnxEncoder(model, tokenizer, self.info.max_len)
        # the head each model answers for: one file answers both
        self._encoders = {"nli": self._encoder,
                          "stance": OnnxEncoder(stance, tokenizer, self.info.max_len) if stance else self._encoder}
        self._cache: OrderedDict[tuple[str, str, str], np.ndarray] = OrderedDict()
        self._max = cache_items
        self._lock = threading.Lock()

    def verify_files(self) -> bool:
        """True when the model files are the ones the manifest names (sha256)."""
        ok = hashlib.sha256(self.info.path.read_bytes()).hexdigest() == self.info.sha256
        if self.info.stance_path is not None:
            ok = ok and hashlib.sha256(self.info.stance_path.read_bytes()).hexdigest() == self.info.stance_sha256
        return ok

    def logits(self, a: Sequence[str], b: Sequence[str], head: str = "nli") -> np.ndarray:
        """Six raw logits per pair, (n, 6), from the model that answers for `head` ("nli" or "stance")."""
        if len(a) != len(b):
            raise ValueError("premises and hypotheses differ in number")
        encoder = self._encoders[head]
        tag = head if self._encoders["stance"] is not self._encoder else ""  # one model: one cache entry a pair
        keys = [(tag, x, y) for x, y in zip(a, b)]
        with self._lock:
            missing = list(dict.fromkeys(k for k in keys if k not in self._cache))
        if missing:
            enc = encoder.tokenize([k[1] for k in missing], [k[2] for k in missing])
            rows = encoder.run(enc, lambda out, _mask: out, per_row=True)
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
                    v = encoder.run(encoder.tokenize([k[1]], [k[2]]), lambda o, _m: o, per_row=True)[0]
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
        return _softmax(self.logits(texts, motions, head="stance")[:, 3:])


_JUDGE_LOCK = threading.Lock()


def get_judge(folder: str | None = None) -> Judge:
    """The packaged judge, loaded once per process (also when two threads ask at once: a warm-up
    thread and the answer)."""
    with _JUDGE_LOCK:
        return _get_judge(folder)


@lru_cache(maxsize=2)
def _get_judge(folder: str | None) -> Judge:
    return Judge(Path(folder) if folder else None)
