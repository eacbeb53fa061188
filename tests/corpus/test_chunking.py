from debatebot.corpus.chunking import chunk_document, count_tokens


def test_chunks_on_sentence_boundaries_with_overlap(seed_doc):
    chunks = chunk_document(seed_doc, max_tokens=120, overlap=1)
    assert len(chunks) > 5
    sent_starts = {s.start for s in seed_doc.sentences}
    sent_ends = {s.end for s in seed_doc.sentences}
    for c in chunks:
        assert c.start in sent_starts and c.end in sent_ends
        assert c.tokens <= 120 or len(c.sentence_ids) == 1
        assert count_tokens(c.text(seed_doc)) >= c.tokens * 0.9
    for a, b in zip(chunks, chunks[1:]):
        if len(a.sentence_ids) > 1:
            assert a.sentence_ids[-1] == b.sentence_ids[0]  # one sentence of overlap
    covered = set().union(*[set(c.sentence_ids) for c in chunks])
    assert covered == {s.id for s in seed_doc.sentences}


def test_chunk_ids_stable(seed_doc):
    a = [c.id for c in chunk_document(seed_doc, 150, 1)]
    b = [c.id for c in chunk_document(seed_doc, 150, 1)]
    assert a == b and len(set(a)) == len(a)
    assert a != [c.id for c in chunk_document(seed_doc, 100, 1)]
