"""The model runner: token-budget batches on per-core workers give the vectors `encode` gives."""

from __future__ import annotations

import numpy as np


def _texts(n: int) -> list[str]:
    words = "treaty landmines ban signed nations army clearance victims funding ottawa canada".split()
    out = []
    for i in range(n):
        k = 2 + (i * 7) % 60  # lengths from 2 to 61 words, in no order
        out.append(" ".join(words[(i + j) % len(words)] for j in range(k)) + f" {i}.")
    return out


def test_batched_workers_match_encode_in_order(minilm):
    texts = _texts(300)
    batches = minilm._plan(texts)
    assert len(batches) > 2, "the input should need several batches"
    assert sorted(i for b in batches for i in b) == list(range(len(texts)))
    ref = minilm._model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
    got = minilm.embed(texts)
    assert got.shape == ref.shape and got.dtype == np.float32
    assert np.abs(got - ref).max() < 1e-5  # same vectors, same order
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_batches_hold_the_token_budget(minilm):
    texts = _texts(300)
    tok = minilm._model.tokenizer
    lens = [len(x) for x in tok(texts, truncation=True, max_length=minilm.max_tokens)["input_ids"]]
    batches = minilm._plan(texts)
    for b in batches:
        assert len(b) == 1 or max(lens[i] for i in b) * len(b) <= minilm.batch_tokens
    # short texts share a batch with many others, long ones with few
    assert len(batches[0]) > len(batches[-1])


def test_short_inputs_and_empty_input(minilm):
    one = minilm.embed(["The treaty bans landmines."])
    again = minilm.embed(_texts(40) + ["The treaty bans landmines."])[-1]
    assert one.shape == (1, minilm.dim)
    assert np.abs(one[0] - again).max() < 1e-5
    assert minilm.embed([]).shape == (0, minilm.dim)
