"""Retrieval quality: recall@5 of WiCE gold evidence sentences, debatebot's hybrid retrieval vs a
plain LangChain pipeline (RecursiveCharacterTextSplitter + Chroma similarity search), same
embeddings, same k, in one run.

Every WiCE development claim's evidence (the cited web page, a list of sentences) becomes one
document; all of them go into one index, and each claim is searched within its own document (so the
task is "find the evidence in the page", as in WiCE). A gold sentence counts as found when its text
lies inside one of the 5 retrieved chunks. Both systems chunk to about the same size.

    .venv/bin/python benchmarks/wice_retrieval.py [--eval-root ../shared/eval] [--limit N]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from debatebot.core.config import configure  # noqa: E402

configure()  # offline defaults: no telemetry, no hub downloads


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--eval-root", default=str(ROOT.parent / "shared" / "eval"))
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--k", type=int, default=5)
    args = ap.parse_args()
    from debatebot.core.settings import Settings
    from debatebot.core.text import normalize
    from debatebot.corpus.library import Library

    rows = [json.loads(line) for line in open(Path(args.eval_root) / "wice" / "claim_dev.jsonl", encoding="utf-8")]
    rows = [r for r in rows if r.get("supporting_sentences")][: args.limit]
    work = Path(tempfile.mkdtemp(prefix="debatebot-wice-"))
    try:
        folder = work / "wice"
        folder.mkdir()
        for i, r in enumerate(rows):
            (folder / f"claim{i:04d}.txt").write_text("\n".join(s.strip() for s in r["evidence"]), encoding="utf-8")
        settings = Settings(index_dir=work / "idx")
        lib = Library(settings)
        lib.index([folder])
        ids = {p.name: f"wice/{p.name}" for p in folder.iterdir()}
        known = {r.doc_id for r in lib.docs()}
        ids = {k: (v if v in known else next(d for d in known if d.endswith(k))) for k, v in ids.items()}

        import chromadb
        from chromadb.config import Settings as CS
        from langchain_chroma import Chroma
        from langchain_core.documents import Document
        from langchain_core.embeddings import Embeddings
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        emb = lib.embedder

        class Same(Embeddings):
            def embed_documents(self, t):
                return emb.embed(list(t)).tolist()

            def embed_query(self, t):
                return emb.embed([t])[0].tolist()

        splitter = RecursiveCharacterTextSplitter(chunk_size=settings.index.chunk_tokens * 4, chunk_overlap=100)
        docs = [Document(page_content=(folder / f"claim{i:04d}.txt").read_text(encoding="utf-8"),
                         metadata={"doc": f"claim{i:04d}"}) for i in range(len(rows))]
        client = chromadb.PersistentClient(path=str(work / "lc"), settings=CS(anonymized_telemetry=False))
        lc = Chroma.from_documents(splitter.split_documents(docs), Same(), client=client, collection_name="wice_plain")

        variants = {
            "debatebot hybrid (dense + BM25, RRF, MMR)": lib,
            "debatebot hybrid without MMR": Library(settings.updated(mmr_lambda=1.0)),
            "debatebot dense only": Library(settings.updated(retrieval="dense")),
        }
        found = dict.fromkeys(variants, 0)
        found_lc = total = 0
        for i, r in enumerate(rows):
            gold = sorted({j for group in r["supporting_sentences"] for j in group})
            gold_texts = [normalize(r["evidence"][j]) for j in gold if 0 <= j < len(r["evidence"])]
            gold_texts = [g for g in gold_texts if g]
            if not gold_texts:
                continue
            for name, v in variants.items():
                got = " ".join(normalize(p.text) for p in v.search(r["claim"], k=args.k, docs=[ids[f"claim{i:04d}.txt"]]))
                found[name] += sum(g in got for g in gold_texts)
            theirs = " ".join(normalize(d.page_content) for d in
                              lc.similarity_search(r["claim"], k=args.k, filter={"doc": f"claim{i:04d}"}))
            total += len(gold_texts)
            found_lc += sum(g in theirs for g in gold_texts)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"WiCE dev claims: {len(rows)}, gold evidence sentences: {total}, k={args.k}")
    print("| retrieval | recall@5 of gold sentences |")
    print("|---|---|")
    for name, n in found.items():
        print(f"| {name} | {n / total:.3f} |")
    print(f"| plain LangChain similarity search | {found_lc / total:.3f} |")


if __name__ == "__main__":
    main()
