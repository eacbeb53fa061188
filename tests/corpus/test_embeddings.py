"""The model runner on onnxruntime: token-budget batches over texts sorted by length, rows back in
order, the same vectors as one text at a time (within int8 noise), no torch; the packaged model."""

from __future__ import annotations

import sys

import numpy as np


def _texts(n: int) -> list[str]:
    words = "council budget vote signed nations river bridge school funding harbour canal".split()
    out = []
    for i in range(n):
        k = 2 + (i * 7) % 60  # lengths from 2 to 61 words, in no order
        out.append(" ".join(words[(i + j) % len(words)] for j in range(k)) + f" {i}.")
    return out


def _lens(minilm, texts):
    return [len(e.ids) for e in minilm._encoder.tokenize(texts)]


def test_batched_rows_come_back_in_order(minilm):
    texts = _texts(300)
    batches = minilm._encoder.plan(_lens(minilm, texts))
    assert len(batches) > 2, "the input should need several batches"
    assert sorted(i for b in batches for i in b) == list(range(len(texts)))
    got = minilm.embed(texts)
    assert got.shape == (300, minilm.dim) and got.dtype == np.float32
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-4)
    alone = np.stack([minilm.embed([t])[0] for t in texts[::30]])
    cos = (got[::30] * alone).sum(1)
    # same vectors, same order: the int8 activations are scaled per batch, so a text's vector moves
    # with its batch mates (measured 0.983-0.996 here; fp32 rows agree to 1e-6)
    assert cos.min() > 0.97
    # and each row is nearest to its own text, not a neighbour's
    assert (np.argmax(alone @ got.T, axis=1) == np.arange(0, 300, 30)).all()


def test_batches_hold_the_token_budget(minilm):
    texts = _texts(300)
    lens = _lens(minilm, texts)
    batches = minilm._encoder.plan(lens)
    for b in batches:
        assert len(b) == 1 or max(lens[i] for i in b) * len(b) <= minilm._encoder.batch_tokens
    # short texts share a batch with many others, long ones with few
    assert len(batches[0]) > len(batches[-1])


def test_short_inputs_and_empty_input(minilm):
    one = minilm.embed(["The council approved the budget."])
    again = minilm.embed(_texts(40) + ["The council approved the budget."])[-1]
    assert one.shape == (1, minilm.dim)
    assert float(one[0] @ again) > 0.97  # int8 activations scaled per batch
    assert minilm.embed([]).shape == (0, minilm.dim)


def test_similar_texts_are_close():
    from debatebot.corpus.embeddings import get_embedder

    emb = get_embedder("all-MiniLM-L6-v2")
    v = emb.embed(["The council approved the budget.", "The budget was approved by the council.",
                   "Penguins live in the Antarctic."])
    assert v[0] @ v[1] > 0.8 and v[0] @ v[2] < 0.3
    assert "torch" not in sys.modules


def test_packaged_model_matches_its_manifest(minilm):
    """The shipped int8 file is the one training/build_embedder.py recorded, and indexes name it."""
    import hashlib
    import json

    from debatebot.corpus.embeddings import INT8_NAME, packaged_onnx

    model, tokenizer = packaged_onnx()
    manifest = json.loads((model.parent / "manifest.json").read_text())
    assert manifest["file"] == model.name and manifest["name"] == INT8_NAME == minilm.name
    assert hashlib.sha256(model.read_bytes()).hexdigest() == manifest["sha256"]
    assert tokenizer.is_file() and manifest["vs_fp32"]["cosine_mean"] >= 0.98
    assert model.stat().st_size < 30e6


def test_an_index_of_another_model_is_rebuilt(tmp_path):
    """An index written with the fp32 model's name is not searched with int8 vectors: `index` rebuilds it."""
    from debatebot.core.settings import Settings
    from debatebot.corpus.library import Library

    doc = tmp_path / "docs" / "a.txt"
    doc.parent.mkdir()
    doc.write_text("The council approved the budget on Monday.\n\nThe bridge opens in May.\n", encoding="utf-8")
    settings = Settings(index_dir=str(tmp_path / "index"), seeds_dir=str(doc.parent), embedding_model="all-MiniLM-L6-v2")
    lib = Library(settings)
    lib.index([doc])
    manifest = lib.store.manifest()
    assert manifest["embedding_model"] == "all-MiniLM-L6-v2-int8"
    lib.store.write_manifest(manifest | {"embedding_model": "all-MiniLM-L6-v2"})  # as the torch model writes it
    report = Library(settings).index([doc])
    assert report.rebuilt and "embedding_model" in report.rebuilt


def test_a_local_onnx_encoder_and_the_index_name_as_specs(tmp_path):
    import pytest

    from debatebot.core.errors import ConfigError
    from debatebot.corpus.embeddings import INT8_NAME, get_embedder, packaged_onnx

    model, _ = packaged_onnx()
    local = get_embedder(str(model))  # a path: its width is read from the file
    assert local.name == str(model.resolve()) and local.dim == 384
    assert get_embedder(INT8_NAME).name == INT8_NAME  # the name the rebuild message shows is a valid setting
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not a model")
    with pytest.raises(ConfigError, match="Cannot load the ONNX encoder"):
        get_embedder(str(broken))
