"""The engine with an LLM configured, against the loopback OpenAI-compatible server: verified
answers when it works, the offline engine with a visible notice when it does not."""

import re
import time

import pytest

from debatebot.answers.engine import Engine
from debatebot.core.models import Mode, Request
from debatebot.corpus.library import Library
from tests.conftest import SEED, make_settings
from tests.fake_openai import Reply

MOTION = "European NATO members should be prepared to use anti-personnel mines"
PASSAGE = re.compile(r'<passage id="(P\d+)"[^>]*>\n(.*?)\n</passage>', re.S)


@pytest.fixture
def llm_engine(tmp_path, fake_openai):
    def build(timeout=8.0, retries=0):
        settings = make_settings(tmp_path, llm_base_url=fake_openai.url, llm_model="fake-model",
                                 llm_api_key="sk-test-SECRET", llm_timeout=timeout, llm_max_retries=retries)
        lib = Library(settings)
        lib.index([SEED.parent])
        eng = Engine(lib)
        assert eng.primary.name == "llm"
        eng.primary.warmed.wait(60)
        return eng
    return build


def quoting_responder(body):
    """Quote the first sentence of P1 verbatim and one fabricated sentence citing P2."""
    prompt = body["messages"][-1]["content"]
    passages = dict(PASSAGE.findall(prompt))
    first = re.split(r"(?<=[.!?])\s", passages["P1"].strip())[0]
    return Reply.json({
        "answer": "The sources argue both ways [P1].",
        "points": [
            {"claim": "A point", "side": "for", "holder": None, "quotes": [{"text": first, "passage": "P1"}]},
            {"claim": "Invented", "side": "for", "holder": None,
             "quotes": [{"text": "Mines are perfectly safe for civilians in every case.", "passage": "P2"}]},
        ],
        "verdict": None,
    })


def test_llm_answer_quotes_verified(llm_engine, fake_openai):
    eng = llm_engine()
    fake_openai.responder = quoting_responder
    ans = eng.run(Request(mode=Mode.argue, side="for", motion=MOTION, text=MOTION))
    assert ans.backend == "llm"
    docs = eng.library.documents()
    quotes = [q for p in ans.points for q in p.quotes]
    assert quotes and all(docs[q.doc].text[q.start : q.end] == q.text for q in quotes)
    assert not any("perfectly safe" in q.text for q in quotes)
    assert any("unverified" in n.lower() or "removed" in n.lower() for n in ans.notices)
    sent = fake_openai.chat_requests[0]
    assert "sk-test-SECRET" not in sent.text()


@pytest.mark.parametrize("fault", ["500", "429", "invalid_json", "slow", "refused_connection", "not_json"])
def test_every_mode_falls_back_with_notice(llm_engine, fake_openai, fault):
    eng = llm_engine(timeout=2.0)
    if fault == "refused_connection":
        fake_openai.stop()
    else:
        make = {
            "500": lambda: Reply.error(500),
            "429": lambda: Reply.error(429, retry_after=30),
            "invalid_json": Reply.invalid_json,
            "slow": lambda: Reply.json({"answer": "late", "points": [], "verdict": None}, delay=6),
            "not_json": lambda: Reply.text("I think mines are bad."),
        }[fault]
        fake_openai.responder = lambda body: make()
    for mode, kw in [(Mode.ask, {"text": "Who is Nick Reynolds?"}),
                     (Mode.argue, {"side": "against", "motion": MOTION, "text": MOTION}),
                     (Mode.rebut, {"text": "Mines are obsolete now that drones exist"}),
                     (Mode.check, {"text": "164 nations ratified the Ottawa Convention"}),
                     (Mode.summary, {}),
                     (Mode.practice, {"text": "Mines protect borders", "motion": MOTION, "side": "for"})]:
        t0 = time.monotonic()
        ans = eng.run(Request(mode=mode, **kw))
        took = time.monotonic() - t0
        assert ans.backend == "offline" and ans.answer.strip()
        assert any("LLM did not answer" in n for n in ans.notices)
        assert "LLM did not answer" in ans.answer or ans.notices
        assert took < 2.0 + 3.0, f"{mode} took {took:.1f}s with a 2 s LLM timeout"


def test_quote_mode_is_verified_offline_even_with_llm(llm_engine, fake_openai):
    eng = llm_engine()
    ans = eng.run(Request(mode=Mode.quote, text="The military necessity part of the calculus is frankly terrifying"))
    assert ans.verdict == "exact" and not fake_openai.chat_requests
