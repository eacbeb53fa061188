"""What an embedder is to the code that uses one: a name, a width and `embed`. The concrete embedders
(the packaged int8 MiniLM, the torch model, the hashed bag of words) live in `corpus.embeddings` and
satisfy this structurally; the layers that only take an embedder (the claim checker) import it from here."""

from __future__ import annotations

from typing import Protocol

import numpy as np


class Embedder(Protocol):
    name: str
    dim: int

    def embed(self, texts: list[str]) -> np.ndarray:
        """Unit-normalised float32 embeddings, one row per text."""
