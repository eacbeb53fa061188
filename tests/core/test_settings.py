"""Settings that group per-mode and per-conversation limits: merged with their defaults, checked."""

import re

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
    prep = prepare(settings, get_encoding(settings.index.encoding),
                   Request(mode=Mode.ask, text="When?", history=history),
                   [passage], {"d.txt": doc})
    earlier = [m for m in prep.messages[1:-1]]
    assert len(earlier) == sent
    assert [c for _, c in earlier] == ["first", "second", "third"][3 - sent:]


# ---- sections: old flat names, nested names, keyword arguments, validation ----------------------------
from pathlib import Path  # noqa: E402

from debatebot.core.settings import SECTIONS, env_names  # noqa: E402


def test_documented_flat_environment_names_still_read(monkeypatch, tmp_path):
    env = {"DEBATEBOT_INDEX_DIR": str(tmp_path / "ix"), "DEBATEBOT_CHROMA_URL": "http://127.0.0.1:8000",
           "DEBATEBOT_EMBEDDING_MODEL": "hash", "DEBATEBOT_TOP_K": "7", "DEBATEBOT_RETRIEVAL": "dense",
           "DEBATEBOT_LLM_BASE_URL": "http://127.0.0.1:9/v1", "DEBATEBOT_LLM_TIMEOUT": "12.5",
           "DEBATEBOT_MAX_QUERY_CHARS": "300", "DEBATEBOT_PORT": "8123", "DEBATEBOT_HISTORY_TURNS": "3",
           "DEBATEBOT_LLM_HISTORY_TURNS": "2", "DEBATEBOT_AUTH": "ann:pw"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    s = load_settings()
    assert s.index.dir == tmp_path / "ix" and s.index.chroma_url == "http://127.0.0.1:8000"
    assert s.index.embedding_model == "hash"
    assert (s.retrieval.top_k, s.retrieval.method) == (7, "dense")
    assert (s.llm.base_url, s.llm.timeout, s.llm.enabled) == ("http://127.0.0.1:9/v1", 12.5, True)
    assert s.limits.max_query_chars == 300 and s.web.port == 8123
    assert (s.web.history_turns, s.llm.history_turns) == (3, 2)  # the two history_turns stay apart
    assert s.web.auth is not None and s.web.auth.get_secret_value() == "ann:pw"


def test_every_documented_variable_has_a_home():
    """Each DEBATEBOT_ name in the README and docs/ is a field's flat or nested name."""
    import re

    root = Path(__file__).resolve().parents[2]
    text = (root / "README.md").read_text(encoding="utf-8") + "".join(
        p.read_text(encoding="utf-8") for p in (root / "docs").glob("*.md"))
    known = {n for sec, model in SECTIONS.items() for f in model.model_fields for n in env_names(sec, f)}
    known |= {f"DEBATEBOT_{sec.upper()}" for sec in SECTIONS}  # a section as JSON (and DEBATEBOT_LLM_* in prose)
    known |= {"DEBATEBOT_DEBUG", "DEBATEBOT_SHOTS"}  # read by the CLI / the browser tests, not settings
    known.add("DEBATEBOT_LLM__BASE_ULR")  # docs/configuration.md's example of a misspelt name
    documented = set(re.findall(r"DEBATEBOT_[A-Z][A-Z_]*[A-Z]", text))
    assert documented - known == set(), "documented variables that nothing reads"
    reference = set(re.findall(r"DEBATEBOT_[A-Z][A-Z_]*[A-Z]", (root / "docs" / "configuration.md").read_text("utf-8")))
    every = {n for sec, model in SECTIONS.items() for f in model.model_fields for n in env_names(sec, f)}
    assert every - reference == set(), "fields docs/configuration.md does not list"


def test_nested_names_read_and_win_over_the_flat_ones(monkeypatch, tmp_path):
    monkeypatch.setenv("DEBATEBOT_INDEX__DIR", str(tmp_path / "nested"))
    monkeypatch.setenv("DEBATEBOT_LLM__BASE_URL", "http://127.0.0.1:1/v1")
    monkeypatch.setenv("DEBATEBOT_LLM_BASE_URL", "http://127.0.0.1:2/v1")
    monkeypatch.setenv("DEBATEBOT_RETRIEVAL__PASSAGES_PER_MODE", '{"ask": 2}')
    monkeypatch.setenv("DEBATEBOT_LIMITS__MAX_QUOTE_CHARS", "5000")
    monkeypatch.setenv("DEBATEBOT_JUDGE__CLAIM_ENTAIL_MIN", "0.7")
    monkeypatch.setenv("DEBATEBOT_WEB", '{"port": 9000}')  # a whole section as one JSON object
    s = load_settings()
    assert s.index.dir == tmp_path / "nested"  # over conftest's DEBATEBOT_INDEX_DIR
    assert s.llm.base_url == "http://127.0.0.1:1/v1"
    assert s.retrieval.passages_per_mode == {**PASSAGES_PER_MODE, "ask": 2}
    assert s.limits.max_quote_chars == 5000 and s.judge.claim_entail_min == 0.7 and s.web.port == 9000


def test_openai_api_key_is_the_fallback_key(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    assert Settings(llm_model="m").llm.enabled and Settings().llm.resolved_api_key() == "sk-env"
    assert Settings(llm_api_key="sk-own").llm.resolved_api_key() == "sk-own"


def test_flat_and_nested_keyword_arguments(monkeypatch, tmp_path):
    monkeypatch.setenv("DEBATEBOT_TOP_K", "9")
    s = Settings(index_dir=tmp_path / "a", embedding_model="hash", retrieval="bm25", llm_max_tokens=100)
    assert (s.index.dir, s.index.embedding_model) == (tmp_path / "a", "hash")
    assert (s.retrieval.method, s.retrieval.top_k) == ("bm25", 9)  # the keyword does not drop the environment's
    assert s.llm.max_tokens == 100
    t = Settings(index={"dir": tmp_path / "b"}, web={"port": 8000}, limits={"max_file_mb": 5})
    assert (t.index.dir, t.web.port, t.limits.max_file_mb) == (tmp_path / "b", 8000, 5)
    assert t.index.embedding_model == "all-MiniLM-L6-v2"  # the rest of a section keeps its defaults
    assert Settings.model_validate({"top_k": 3}).retrieval.top_k == 3


@pytest.mark.parametrize("env, says", [
    ({"DEBATEBOT_TOP_K": "0"}, "DEBATEBOT_TOP_K=0: Input should be greater than or equal to 1"),
    ({"DEBATEBOT_RETRIEVAL__TOP_K": "0"}, "DEBATEBOT_RETRIEVAL__TOP_K=0"),
    ({"DEBATEBOT_PORT": "http"}, "DEBATEBOT_PORT=http: Input should be a valid integer"),
    ({"DEBATEBOT_RETRIEVAL": "fuzzy"}, "DEBATEBOT_RETRIEVAL=fuzzy: String should match"),
    ({"DEBATEBOT_LLM_API_KEY": "x", "DEBATEBOT_LLM_TIMEOUT": "-1"}, "DEBATEBOT_LLM_TIMEOUT=-1"),
    ({"DEBATEBOT_LLM__BASE_ULR": "x"}, "DEBATEBOT_LLM__BASE_ULR=x: Extra inputs are not permitted"),
    ({"DEBATEBOT_LLM": "not json"}, 'field "llm"'),
    ({"DEBATEBOT_CHROMA_TOKEN": "s3cret", "DEBATEBOT_CHROMA_TIMEOUT": "0"}, "DEBATEBOT_CHROMA_TIMEOUT=0"),
])
def test_a_bad_value_is_one_clear_config_error(monkeypatch, env, says):
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    with pytest.raises(ConfigError, match=re.escape(says)) as e:
        load_settings()
    assert str(e.value).startswith("Invalid setting: ") and "s3cret" not in str(e.value)


def test_sections_are_validated_whatever_the_spelling(tmp_path):
    with pytest.raises(ConfigError, match="DEBATEBOT_PORT=0"):
        load_settings(web={"port": 0})
    with pytest.raises(ConfigError, match="Extra inputs"):
        load_settings(index={"dri": tmp_path})  # a misspelt field is refused, not ignored
    with pytest.raises(ConfigError, match="DEBATEBOT_LIMITS__MAX_QUOTE_CHARS"):
        load_settings(limits={"max_quote_chars": 1})
    with pytest.raises(ConfigError, match="DEBATEBOT_TOP_KK"):
        load_settings(top_kk=3)
    with pytest.raises(ConfigError, match="DEBATEBOT_JUDGE__CLAIM_CONTRA_MIN"):
        load_settings(judge={"claim_contra_min": 2})


def test_updated_copies_are_validated(tmp_path):
    s = Settings(index_dir=tmp_path, llm_api_key="sk-keep")
    t = s.updated(port=8080, retrieval="dense", index={"collection": "other"})
    assert (t.web.port, t.retrieval.method, t.index.collection, t.index.dir) == (8080, "dense", "other", tmp_path)
    assert t.llm.api_key is not None and t.llm.api_key.get_secret_value() == "sk-keep"
    assert s.web.port == 7860  # the original is unchanged
    with pytest.raises(ConfigError, match="DEBATEBOT_PORT=70000"):
        s.updated(web={"port": 70000})


@pytest.mark.parametrize("kw, says", [({"port": 70000}, "DEBATEBOT_PORT=70000"), ({"port": "web"}, "valid integer"),
                                      ({"host": ""}, "DEBATEBOT_HOST")])
def test_web_overrides_are_validated_before_anything_starts(tmp_path, kw, says):
    from debatebot.interfaces.web.server import serve

    with pytest.raises(ConfigError, match=says):
        serve(index_dir=tmp_path / "never", block=False, **{"host": None, "port": None, **kw})
    assert not (tmp_path / "never").exists()


def test_the_makefile_repeats_the_offline_environment_unchanged():
    import re

    from debatebot.core.config import OFFLINE_DEFAULTS

    make = (Path(__file__).resolve().parents[2] / "Makefile").read_text(encoding="utf-8")
    exported = dict(re.findall(r"(?m)^export (\w+) := (\S+)$", make))
    assert exported and all(OFFLINE_DEFAULTS.get(k) == v for k, v in exported.items()), exported
