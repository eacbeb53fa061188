"""One store/index suite, run against the embedded Chroma and a real Chroma server on 127.0.0.1."""

import shutil

import pytest

from debatebot.core.errors import IndexMismatchError, InputError
from debatebot.corpus.library import Library
from tests.conftest import SEED, make_settings


@pytest.fixture
def corpus(tmp_path):
    d = tmp_path / "corpus"
    d.mkdir()
    shutil.copy(SEED, d / "seed.txt")
    (d / "other.md").write_text("# Other\n\nThe Ottawa treaty was signed in 1997. Mines remain in Angola.", encoding="utf-8")
    return d


def test_index_search_and_citations(store_settings, corpus):
    lib = Library(store_settings)
    rep = lib.index([corpus])
    assert sorted(rep.added) and not rep.failed and rep.docs_total == 2
    docs = lib.documents()
    assert docs[rep.added[0]].text  # original text kept
    results = lib.search("How many nations ratified the Ottawa Convention?", k=3)
    assert 1 <= len(results) <= 3
    for p in results:
        assert docs[p.doc].text[p.start : p.end] == p.text
        assert p.paragraph <= p.paragraph_end
        assert p.sentence_ids
    only = lib.search("treaty", k=5, docs=[d for d in docs if d.endswith("other.md")])
    assert only and all(p.doc.endswith("other.md") for p in only)
    # the dense side alone (nearest sentence vectors, mapped to their chunks), with and without a filter
    dense = Library(store_settings.updated(retrieval="dense"))
    hits = dense.search("The Ottawa treaty was signed in 1997.", k=3)
    assert hits and "signed in 1997" in hits[0].text
    seed_only = [d for d in docs if d.endswith("seed.txt")]
    assert all(p.doc in seed_only for p in dense.search("The Ottawa treaty was signed in 1997.", k=3, docs=seed_only))


def _sentence_ids(doc):
    from debatebot.corpus.chunking import sentence_record_id

    return [sentence_record_id(doc.doc_id, s.start, s.end, doc.text[s.start : s.end]) for s in doc.sentences]


def test_sentence_vectors_stored_and_chunk_vectors_are_their_mean(store_settings, corpus):
    import numpy as np

    lib = Library(store_settings)
    lib.index([corpus])
    docs = lib.documents()
    seed = docs[next(d for d in docs if d.endswith("seed.txt"))]
    ids = _sentence_ids(seed)
    vecs = lib.store.sentence_vectors(ids + ["not-a-sentence"])
    assert set(vecs) == set(ids)  # every sentence once; unknown ids are absent, not an error
    texts = [seed.text[s.start : s.end] for s in seed.sentences]
    direct = lib.embedder.embed(texts)
    for i, sid in enumerate(ids):
        assert np.allclose(vecs[sid], direct[i], atol=1e-5)
    got = lib.store.chunks.get(where={"doc": seed.doc_id}, include=["embeddings", "metadatas"])
    for emb, meta in zip(got["embeddings"], got["metadatas"]):
        members = [int(x) for x in meta["sentence_ids"].split(",")]
        w = np.array([len(texts[m]) for m in members], dtype=np.float32)
        mean = (direct[members] * w[:, None]).sum(0)
        assert np.allclose(np.asarray(emb), mean / np.linalg.norm(mean), atol=1e-5)


def test_reindex_idempotent_changed_removed(store_settings, corpus):
    lib = Library(store_settings)
    lib.index([corpus])
    ids_before = set(lib.store.chunks.get(include=[])["ids"])
    count = lib.store.count()
    rep = lib.index([corpus])
    assert len(rep.unchanged) == 2 and not rep.added and not rep.updated
    assert lib.store.count() == count and set(lib.store.chunks.get(include=[])["ids"]) == ids_before
    (corpus / "other.md").write_text("# Other\n\nNow the text says something else about Angola entirely.", encoding="utf-8")
    rep = lib.index([corpus])
    assert [d for d in rep.updated if d.endswith("other.md")]
    other = [d for d in lib.documents() if d.endswith("other.md")][0]
    assert "something else" in lib.documents()[other].text
    assert not any("1997" in p.text for p in lib.search("Angola", docs=[other]))
    other_doc = lib.documents()[other]
    assert len(lib.store.sentence_vectors(_sentence_ids(other_doc))) == len(other_doc.sentences)
    (corpus / "other.md").unlink()
    rep = lib.index([corpus])
    assert [d for d in rep.removed if d.endswith("other.md")]
    assert lib.store.sentence_vectors(_sentence_ids(other_doc)) == {}  # its sentences went with it
    assert lib.store.sentences.count() == sum(len(d.sentences) for d in lib.documents().values())
    assert [r.doc_id for r in lib.docs()] == [d for d in lib.documents()]
    assert len(lib.docs()) == 1


def test_failed_file_does_not_stop_others_nor_change_index(store_settings, corpus):
    lib = Library(store_settings)
    lib.index([corpus])
    before = {r.doc_id: r.sha256 for r in lib.docs()}
    (corpus / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    (corpus / "new.txt").write_text("A brand new document about demining in Laos.", encoding="utf-8")
    rep = lib.index([corpus])
    assert len(rep.failed) == 1 and "binary" in rep.failed[0]["error"]
    assert [d for d in rep.added if d.endswith("new.txt")]
    after = {r.doc_id: r.sha256 for r in lib.docs()}
    for k, v in before.items():
        assert after[k] == v


def test_model_change_detected_and_rebuilt(tmp_path, corpus):
    lib = Library(make_settings(tmp_path))
    lib.index([corpus])
    other = Library(make_settings(tmp_path, chunk_tokens=60))
    with pytest.raises(IndexMismatchError, match="chunk_tokens"):
        other.search("treaty")
    rep = other.index([corpus])
    assert rep.rebuilt and "chunk_tokens" in rep.rebuilt
    assert other.search("treaty")


def test_interrupted_run_recovered(tmp_path, corpus):
    lib = Library(make_settings(tmp_path))
    lib.index([corpus])
    # simulate a kill between "pending" and "complete": a pending record with partial chunks
    seed_id = [d for d in lib.documents() if d.endswith("seed.txt")][0]
    lib.store.begin_doc(seed_id, "t", "changed text", "sha-x", "file:/nowhere")
    assert seed_id not in lib.store.doc_texts()
    rep = Library(make_settings(tmp_path)).index([corpus])
    assert seed_id in rep.recovered and seed_id in rep.added
    lib2 = Library(make_settings(tmp_path))
    ids = lib2.store.chunks.get(include=[])["ids"]
    assert len(ids) == len(set(ids))
    assert lib2.store.sentences.count() == sum(len(d.sentences) for d in lib2.documents().values())
    assert all(r.status == "complete" for r in lib2.docs())


def test_bad_queries(hash_library, corpus):
    hash_library.index([corpus])
    with pytest.raises(InputError):
        hash_library.search("   ")
    long = hash_library.search("landmines " * 20000)  # 200k chars: cut, still answers
    assert long


def test_read_only_index_is_left_intact(tmp_path, corpus):
    """A read-only index folder (a read-only bind mount, which binds root too): clear error, index intact."""
    import subprocess

    from debatebot.core.errors import IndexUnavailableError

    lib = Library(make_settings(tmp_path))
    lib.index([corpus])
    before = sorted(r.sha256 for r in lib.docs())
    ro = tmp_path / "ro-index"
    ro.mkdir()
    if subprocess.run(["mount", "--bind", "-o", "ro", str(tmp_path / "index"), str(ro)], capture_output=True).returncode:
        pytest.skip("cannot make a read-only bind mount here")
    try:
        (corpus / "new.txt").write_text("A new document that cannot be added.", encoding="utf-8")
        with pytest.raises(IndexUnavailableError, match="read-only"):
            Library(make_settings(tmp_path, index_dir=ro)).index([corpus])
    finally:
        subprocess.run(["umount", str(ro)], capture_output=True)
    assert sorted(r.sha256 for r in Library(make_settings(tmp_path)).docs()) == before


def test_index_from_an_older_format_is_named_and_rebuilt(tmp_path, corpus):
    lib = Library(make_settings(tmp_path))
    lib.index([corpus])
    lib.store.write_manifest({"schema": 1})  # as written before sentence vectors were stored
    fresh = Library(make_settings(tmp_path))
    with pytest.raises(IndexMismatchError, match="another debatebot version"):
        fresh.search("treaty")
    rep = fresh.index([corpus])
    assert rep.rebuilt and "format 1" in rep.rebuilt
    assert fresh.search("treaty") and fresh.store.sentences.count() > 0


def test_search_during_a_change_by_another_process_uses_one_consistent_snapshot(store_settings, corpus):
    app = Library(store_settings)
    app.index([corpus])
    assert app.search("Angola mines treaty", k=3)  # the app's snapshot of the index is taken
    (corpus / "other.md").write_text("# Other\n\nAngola replaced its treaty text; mines are discussed anew.", encoding="utf-8")
    (corpus / "third.md").write_text("Angola and mines: a third document about the treaty.", encoding="utf-8")
    Library(store_settings).index([corpus])  # another process changes the index
    for _ in range(3):  # within the snapshot's lifetime and after: never an internal error
        for p in app.search("Angola mines treaty", k=5):
            assert p.text and p.doc
    app.retriever.invalidate()
    docs = app.documents()
    for p in app.search("Angola mines treaty", k=5):
        assert docs[p.doc].text[p.start : p.end] == p.text


def test_a_failed_write_stops_the_run_and_the_next_run_completes(tmp_path):
    """Batches are written while the next one is embedded: a failed write must stop the run with its
    own error, and leave nothing the next run cannot finish."""
    from debatebot.corpus.indexer import index_paths

    corpus = tmp_path / "many"
    corpus.mkdir()
    for i in range(30):
        (corpus / f"doc{i:02d}.txt").write_text(
            " ".join(f"Article {i} says point {j} about the treaty and mines in region {i * j}." for j in range(20)),
            encoding="utf-8")
    lib = Library(make_settings(tmp_path))
    real, calls = lib.store.add_chunks, []

    def failing(*a, **k):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full (injected)")
        return real(*a, **k)

    lib.store.add_chunks = failing
    with pytest.raises(RuntimeError, match="injected"):
        index_paths(lib.store, lib.settings, lib.embedder, [corpus], batch_chunks=8)
    assert len(calls) == 3, "no write may follow the failed one"
    status = [r.status for r in lib.store.list_docs()]
    assert "complete" in status and "pending" in status
    del lib.store.add_chunks
    rep = Library(make_settings(tmp_path)).index([corpus])
    assert rep.recovered and not rep.failed
    lib2 = Library(make_settings(tmp_path))
    recs = lib2.docs()
    assert len(recs) == 30 and all(r.status == "complete" for r in recs)
    ids = lib2.store.chunks.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == sum(r.chunks for r in recs)
    assert lib2.store.sentences.count() == 30 * 20


def test_format_2_index_is_upgraded_in_place_without_losing_documents(store_settings, corpus):
    """Format 2 kept chunk text as Chroma documents; opening it copies the text into metadata and
    keeps every document (an upload-only document included), with no re-embedding."""
    lib = Library(store_settings)
    lib.index([corpus])
    lib.add_text("notes/upload.txt", "An uploaded note says the treaty was signed in Ottawa in 1997.")
    col = lib.store.chunks
    got = col.get(include=["embeddings", "metadatas"])
    texts = [m["text"] for m in got["metadatas"]]
    old_metas = [{k: v for k, v in m.items() if k != "text"} for m in got["metadatas"]]
    col.delete(ids=got["ids"])  # rewrite the chunks the way format 2 stored them
    col.add(ids=got["ids"], embeddings=got["embeddings"], documents=texts, metadatas=old_metas)
    lib.store.write_manifest(dict(lib.store.manifest(), schema=2), bump=True)

    fresh = Library(store_settings)
    hits = fresh.search("treaty signed in Ottawa")
    assert hits and all(h.text for h in hits)
    assert fresh.store.manifest()["schema"] == 3
    after = fresh.store.chunks.get(ids=got["ids"], include=["metadatas"])
    assert {i: m["text"] for i, m in zip(after["ids"], after["metadatas"])} == dict(zip(got["ids"], texts))
    rep = fresh.index([corpus])
    assert rep.rebuilt is None and not rep.added
    assert "notes/upload.txt" in fresh.documents()


def test_early_format_2_index_without_chunk_links_is_rebuilt_not_upgraded(tmp_path, corpus):
    """The first format-2 indexes named a sentence's position, not its chunks: copying chunk text would
    leave dense search with nothing to map to, so they are reported and rebuilt instead."""
    lib = Library(make_settings(tmp_path))
    lib.index([corpus])
    sents = lib.store.sentences.get(include=[])["ids"]
    lib.store.sentences.update(ids=sents, metadatas=[{"chunks": None, "sentence": 0}] * len(sents))
    lib.store.write_manifest(dict(lib.store.manifest(), schema=2), bump=True)
    fresh = Library(make_settings(tmp_path))
    with pytest.raises(IndexMismatchError, match="format 2"):
        fresh.search("treaty")
    rep = fresh.index([corpus])
    assert rep.rebuilt and "format 2" in rep.rebuilt
    assert fresh.search("treaty") and fresh.store.manifest()["schema"] == 3
