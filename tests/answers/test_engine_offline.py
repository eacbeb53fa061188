"""The offline evidence engine end to end on the seed article, with the real embedding model."""

import pytest

from debatebot.answers.engine import Engine
from debatebot.core.errors import InputError
from debatebot.core.models import Mode, Request
from debatebot.corpus.library import Library
from tests.conftest import SEED, make_settings

pytestmark = pytest.mark.slow
MOTION = "European NATO members should be prepared to use anti-personnel mines"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("engine")
    lib = Library(make_settings(tmp, embedding_model="all-MiniLM-L6-v2"))
    lib.index([SEED.parent])
    return Engine(lib)


def _all_quotes_exact(engine, ans):
    docs = engine.library.documents()
    quotes = [q for p in ans.points for q in p.quotes] + list(ans.sources)
    for q in quotes:
        assert docs[q.doc].text[q.start : q.end] == q.text
    return quotes


def test_argue_both_sides(engine):
    """Structure of an argued case (which camp each quote serves is tested in test_judge.py)."""
    pro = engine.run(Request(mode=Mode.argue, side="for", motion=MOTION, text=MOTION))
    con = engine.run(Request(mode=Mode.argue, side="against", motion=MOTION, text=MOTION))
    for ans, side in ((pro, "for"), (con, "against")):
        assert ans.backend == "offline" and "extractive" in ans.answer
        assert len(ans.points) <= 5 and all(p.side == side and p.quotes for p in ans.points)
        _all_quotes_exact(engine, ans)
        spans = [(q.doc, q.start) for p in ans.points for q in p.quotes]
        assert len(spans) == len(set(spans)), "two arguments rest on the same evidence"
        if ans.points:
            assert "[1]" in ans.answer and "**Sources**" in ans.answer
        else:
            assert "no evidence" in ans.answer
    assert pro.points or con.points
    assert not {q.text for p in pro.points for q in p.quotes} & {q.text for p in con.points for q in p.quotes}


def test_rebut_reads_the_argument_against_the_motion(engine):
    ans = engine.run(Request(mode=Mode.rebut, text="Mines are obsolete now that drones exist", motion=MOTION))
    assert ans.details["motion"] == MOTION
    if ans.details.get("opponent_side"):  # the judge was sure which side the argument takes
        assert ans.details["opponent_side"] in ("for", "against") and "Read as an argument" in ans.answer
    else:
        assert "cannot tell which side" in ans.answer
    assert all(p.side == "against" for p in ans.points)
    _all_quotes_exact(engine, ans)


def test_summary_states_the_question_with_figures(engine):
    ans = engine.run(Request(mode=Mode.summary))
    assert "The question the sides answer" in ans.answer
    assert "#### For “" in ans.answer and "#### Against “" in ans.answer
    assert "Key figures" in ans.answer and "164" in ans.answer
    _all_quotes_exact(engine, ans)


def test_ask_number(engine):
    ans = engine.run(Request(mode=Mode.ask, text="How many nations have ratified the Ottawa Convention?"))
    assert "164" in " ".join(q.text for p in ans.points for q in p.quotes)


def test_check_and_quote_modes(engine):
    ok = engine.run(Request(mode=Mode.check, text="164 nations ratified the Ottawa Convention"))
    assert ok.verdict == "supported"
    bad = engine.run(Request(mode=Mode.check, text="165 nations ratified the Ottawa Convention"))
    assert bad.verdict == "contradicted"
    q = engine.run(Request(mode=Mode.quote, text="The military necessity part of the calculus is frankly terrifying",
                           speaker="Nick Reynolds"))
    assert q.verdict == "exact" and q.speaker.verdict == "correct"
    alt = engine.run(Request(mode=Mode.quote, text="The military necessity part of the calculus is truly terrifying"))
    assert alt.verdict == "altered"


def test_follow_up_other_side(engine):
    history = [{"role": "user", "content": MOTION, "mode": "argue", "side": "for", "motion": MOTION, "text": MOTION}]
    ans = engine.run(Request(mode=Mode.ask, text="and the other side?", history=history))
    assert ans.mode == Mode.argue and all(p.side == "against" for p in ans.points)


def test_bad_input(engine):
    with pytest.raises(InputError):
        engine.run(Request(mode=Mode.check, text="   "))
    with pytest.raises(InputError):
        engine.run(Request(mode=Mode.ask, text="x" * 100_000))


class _CountingEmbedder:
    """The hashing embedder, recording every text it is asked to embed."""

    def __init__(self):
        from debatebot.corpus.embeddings import HashEmbedder

        self.inner = HashEmbedder()
        self.name, self.dim = self.inner.name, self.inner.dim
        self.texts: list[str] = []

    def embed(self, texts):
        self.texts.extend(texts)
        return self.inner.embed(texts)


@pytest.mark.parametrize("mode", [Mode.argue, Mode.summary, Mode.ask])
def test_answers_read_sentence_vectors_from_the_index_not_the_model(tmp_path, mode):
    lib = Library(make_settings(tmp_path))
    lib._embedder = counting = _CountingEmbedder()
    lib.index([SEED.parent])
    doc = next(iter(lib.documents().values()))
    sentences = {doc.text[s.start : s.end] for s in doc.sentences}
    counting.texts.clear()
    req = Request(mode=mode, text=MOTION, motion=MOTION, side="against", topic="anti-personnel mines")
    fast = Engine(lib).run(req)
    embedded_now = [t for t in counting.texts if t in sentences]
    assert embedded_now == []  # the sentences came from the index
    assert fast.answer.strip() and (fast.points or mode != Mode.ask)  # (argue/summary may abstain: precision first)
    # the same answer as an offline backend given the same passages, embedding every sentence itself
    from debatebot.answers.backends.offline import OfflineBackend

    eng = Engine(lib)
    checked = eng.prepare(req)
    counting.texts.clear()
    slow = OfflineBackend(counting).answer(checked, eng.retrieve(checked), lib.documents())
    assert [t for t in counting.texts if t in sentences]
    assert [p.model_dump() for p in slow.points] == [p.model_dump() for p in fast.points]
    assert slow.answer == fast.answer


def test_figures_skip_markup_ids_and_days_and_titles_are_headings():
    from debatebot.answers.evidence import figures_in, is_heading

    text = ('<post stamp="1449075600" id="672160504572452864">Floods displaced 20 families on November 18, '
            "2015, and 1,200 more by March.")
    assert figures_in(text) == ["20", "2015", "1,200"]
    assert is_heading("Harbour Council Votes to Close the Old Bridge After Floods.")
    assert is_heading("A short line without a full stop")
    assert not is_heading("The council voted to close the old bridge after the floods.")


def test_figure_context_keeps_the_figure_glued_to_its_words():
    from debatebot.answers.evidence import around

    assert around("They fled in a 30-minute window before the storm hit the bay.", "30") == \
        "They fled in a 30-minute window before the storm hit the bay."
    assert around("It was ratified by 164 nations, including the UK.", "164") == \
        "It was ratified by 164 nations, including the UK."


def test_warm_up_makes_the_model_sessions_on_a_thread(tmp_path):
    """A cold command warms the embedder and the judge on a thread while it opens the index; the
    answer then finds both sessions made, and no warm-up vector in the embedder's cache."""
    from debatebot.answers.backends.offline import OfflineBackend
    from debatebot.corpus.embeddings import INT8_NAME, OnnxEmbedder, packaged_onnx
    from debatebot.judge.scorer import Judge

    lib = Library(make_settings(tmp_path, embedding_model="all-MiniLM-L6-v2"))
    judge, embedder = Judge(), OnnxEmbedder(INT8_NAME, *packaged_onnx())  # fresh: no session made yet
    engine = Engine(lib, fallback=OfflineBackend(embedder, judge=judge))
    assert judge._encoder._shared is None and embedder._encoder._single is None
    engine.warm_up(Mode.argue).join(timeout=120)
    assert judge._encoder._shared is not None, "the judge's session was not made"
    assert embedder._encoder._single is not None, "the embedder's session was not made"
    assert not engine.fallback.embedder.has("A warm-up sentence.")
    judge2 = Judge()
    Engine(lib, fallback=OfflineBackend(embedder, judge=judge2)).warm_up(Mode.ask).join(timeout=120)
    assert judge2._encoder._shared is None, "ask (offline) does not use the judge: it is not loaded"


def test_a_failing_warm_up_is_left_to_the_answer(tmp_path):
    import threading

    from debatebot.answers.backends.offline import OfflineBackend
    from debatebot.core.errors import ConfigError

    class MissingJudge:
        def stance(self, *a, **k):
            raise ConfigError("The judge model's manifest is missing.")

        nli = stance

    seen = []
    old = threading.excepthook
    threading.excepthook = lambda args: seen.append(args.exc_value)
    lib = Library(make_settings(tmp_path))
    lib.index([SEED.parent])
    engine = Engine(lib, fallback=OfflineBackend(lib.embedder, judge=MissingJudge()))
    try:
        engine.warm_up(Mode.argue).join(timeout=60)
    finally:
        threading.excepthook = old
    assert not seen, seen
    with pytest.raises(ConfigError, match="manifest is missing"):
        engine.run(Request(mode=Mode.argue, side="for", motion=MOTION, text=MOTION))


def test_two_threads_asking_for_the_judge_get_one_judge(monkeypatch):
    import threading
    from functools import lru_cache

    from debatebot.judge import scorer

    # a cache of its own: the process's judge (and its memoised scores) stays as other tests left it
    monkeypatch.setattr(scorer, "_get_judge", lru_cache(maxsize=2)(scorer._get_judge.__wrapped__))
    got, start = [], threading.Barrier(6, timeout=60)

    def ask():
        start.wait()
        got.append(scorer.get_judge())

    threads = [threading.Thread(target=ask) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(got) == 6 and len({id(j) for j in got}) == 1


@pytest.mark.parametrize("argument,side", [
    ("Most Western nations have kept their stockpiles of anti-personnel mines", "for"),
    ("Russia has laid only a few mines in Ukraine", "for"),
    ("The UK has withdrawn from the Ottawa Convention", "for"),
    ("Mines are cheap and slow down an invading army", "for"),
])
def test_practice_never_contradicts_itself_in_one_reply(engine, argument, side):
    """One reply, one message: when the claim check finds the student's argument contradicted, the reply
    does not also say the sources offer nothing against it (and quotes what contradicts it)."""
    from debatebot.answers.practice import NOTHING_AGAINST, NOTHING_ANSWERS

    ans = engine.run(Request(mode=Mode.practice, text=argument, motion=MOTION, side=side))
    verdict = ans.student_claim.verdict
    if verdict == "contradicted":
        assert NOTHING_ANSWERS not in ans.answer and NOTHING_AGAINST not in ans.notices
        assert ans.points or "“" in ans.answer.split("Your argument is contradicted")[-1]
    _all_quotes_exact(engine, ans)
