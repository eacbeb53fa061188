"""Settings that group per-mode and per-conversation limits: merged with their defaults, checked."""

import pytest

from debatebot.answers.backends.llm.prompting import prepare
from debatebot.core.errors import ConfigError
from debatebot.core.models import Mode, Passage, Request
from debatebot.core.settings import PASSAGES_PER_MODE, Settings, load_settings
from debatebot.core.text import SourceDocument
from debatebot.corpus.chunking import get_encoding


def test_passages_per_mode_replaces_only_the_modes_it_names(monkeypatch):
    monkeypatch.setenv("DEBATEBOT_PASSAGES_PER_MODE", '{"ask": 3}')
    s = load_settings()
    assert s.retrieval.passages_per_mode == {**PASSAGES_PER_MODE, "ask": 3}
    assert s.retrieval.passages_per_mode["argue"] == 14


@pytest.mark.parametrize("value, says", [('{"asks": 3}', "unknown mode"), ('{"argue": 0}', "between 1 and 500")])
def test_passages_per_mode_refuses_unknown_modes_and_empty_searches(monkeypatch, value, says):
    monkeypatch.setenv("DEBATEBOT_PASSAGES_PER_MODE", value)
    with pytest.raises(ConfigError, match=says):
        load_settings()


@pytest.mark.parametrize("turns, sent", [(0, 0), (1, 1), (4, 3)])
def test_llm_history_turns_bounds_the_conversation_sent(turns, sent):
    doc = SourceDocument.from_text("d.txt", "The council met on Monday. It approved the plan.", title="d")
    passage = Passage(id="p1", doc="d.txt", title="d", text=doc.text, start=0, end=len(doc.text), paragraph=0,
                      paragraph_end=0, sentence_ids=[0, 1], score=1.0)
    history = [{"role": "user", "content": "first"}, {"role": "assistant", "content": "second"},
               {"role": "user", "content": "third"}]
    settings = Settings(llm_base_url="http://127.0.0.1:9/v1", llm_history_turns=turns)
    prep = prepare(settings, get_encoding(settings.index.encoding), Request(mode=Mode.ask, text="When?", history=history),
                   [passage], {"d.txt": doc})
    earlier = [m for m in prep.messages[1:-1]]
    assert len(earlier) == sent
    assert [c for _, c in earlier] == ["first", "second", "third"][3 - sent:]
