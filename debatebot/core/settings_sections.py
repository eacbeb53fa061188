"""The six sections of the settings object (`debatebot/core/settings.py`): one validated pydantic model each.

Every field's description gives its reason; docs/configuration.md repeats them (a unit test checks that it
names every field's variables)."""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator

# passages an answer retrieves, per mode (argue and summary look wider to find both sides)
PASSAGES_PER_MODE = {"ask": 6, "argue": 14, "rebut": 12, "check": 8, "quote": 5, "summary": 20, "practice": 12}
SEEDS_DIR = Path(str(resources.files("debatebot") / "seeds"))  # the embedded default sources (package data)
DEFAULT_UPLOAD_DIR = Path("index/uploads")  # left at this, uploads go to <index.dir>/uploads


def _blank_is_none(v: Any) -> Any:
    return None if isinstance(v, str) and not v.strip() else v


class _Section(BaseModel):
    # a misspelt field (DEBATEBOT_LLM__BASE_ULR, or a keyword) is an error, not silently ignored
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class IndexSettings(_Section):
    """Where the index lives and how documents become vectors."""

    dir: Path = Field(
        default=Path("index"),
        description="Folder of the persisted Chroma index and manifest (embedded mode).")
    collection: str = Field(
        default="debatebot", min_length=3,
        description="Name prefix of the Chroma collections (3+ characters, Chroma's rule).")
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (e.g. http://127.0.0.1:8000). Unset: embedded store in index.dir.")
    chroma_token: SecretStr | None = Field(default=None, description="Auth token for the Chroma server.")
    chroma_tenant: str = Field(default="default_tenant", description="Chroma tenant (server mode).")
    chroma_database: str = Field(default="default_database", description="Chroma database (server mode).")
    chroma_timeout: float = Field(
        default=15.0, gt=0, le=600,
        description="Seconds any one request to the Chroma server may take (connect, read, write) before it "
        "fails with a clear error; the next request tries again (server mode).")
    embedding_model: str = Field(
        default="all-MiniLM-L6-v2",
        description="Embedding model: 'all-MiniLM-L6-v2' (packaged int8, offline; also 'all-MiniLM-L6-v2-int8', the "
        "name an index records), 'all-MiniLM-L6-v2-torch' "
        "(fp32 on torch, bench extra), a local sentence-transformers folder, a local .onnx encoder with the "
        "MiniLM vocabulary, or 'hash' (fast lexical hashing embedder, for tests and tiny machines).")
    embedding_batch_tokens: int = Field(
        default=1024, ge=64, le=65536,
        description="Padded tokens per model batch: texts are sorted by length, so a batch holds many short "
        "sentences or a few long passages (measured fastest on a 2-core CPU: 1024).")
    chunk_tokens: int = Field(default=180, ge=16, le=2048, description="Target chunk size in tokens.")
    chunk_overlap: int = Field(default=1, ge=0, le=8, description="Sentences shared by consecutive chunks.")
    encoding: str = Field(default="cl100k_base", description="tiktoken encoding used to count tokens (offline).")
    seeds_dir: Path = Field(
        default=SEEDS_DIR,
        description="Indexed on first start when the index is empty (default: the packaged seed article); its "
        ".examples.json gives the app's examples.")

    _blank = field_validator("chroma_url", mode="before")(_blank_is_none)


class RetrievalSettings(_Section):
    """How a question finds its passages."""

    top_k: int = Field(default=5, ge=1, le=100, description="Passages returned per search.")
    candidates: int = Field(default=40, ge=5, le=500,
                            description="Candidates taken from each retriever before fusion.")
    method: str = Field(
        default="hybrid", pattern="^(hybrid|dense|bm25)$",
        description="Retrieval: 'hybrid' (dense + BM25 fused by RRF), 'dense' only, or 'bm25' only.")
    passages_per_mode: dict[str, int] = Field(
        default_factory=lambda: dict(PASSAGES_PER_MODE),
        description="Passages retrieved per answer mode (a JSON object; argue and summary look wider to find both "
        "sides). The modes it names replace their defaults; the others keep theirs.")
    rrf_k: int = Field(default=60, ge=1, description="Reciprocal rank fusion constant.")
    mmr_lambda: float = Field(
        default=0.7, ge=0.0, le=1.0,
        description="MMR relevance vs diversity trade-off (1 = relevance only). Similar chunks of different "
        "documents (copies, syndicated articles) are penalised by embedding similarity; chunks of one "
        "document only by the share of text they repeat, so neighbouring evidence is kept.")
    state_ttl: float = Field(
        default=1.0, ge=0, le=60,
        description="Seconds a seen index generation is trusted before the store is asked again: how soon "
        "another process's changes to a shared (server) index show in this one's searches, against one "
        "store round trip per search when 0.")

    @field_validator("passages_per_mode")
    @classmethod
    def _per_mode(cls, v: dict[str, int]) -> dict[str, int]:
        unknown = sorted(set(v) - set(PASSAGES_PER_MODE))
        if unknown:
            raise ValueError(f"unknown mode(s) {', '.join(unknown)}; the modes are {', '.join(PASSAGES_PER_MODE)}")
        bad = sorted(m for m, k in v.items() if not 1 <= k <= 500)
        if bad:
            raise ValueError(f"passages for {', '.join(bad)} must be between 1 and 500")
        return {**PASSAGES_PER_MODE, **v}


class JudgeSettings(_Section):
    """The judge model's operator-tunable parts. The floors calibrated with the stance model (the sides of
    argue and summary, the claim checks' limits) stay beside the code they were measured for."""

    cache_items: int = Field(
        default=100_000, ge=0, le=10_000_000,
        description="Scored pairs the judge memoises (LRU; about 100 bytes each): answers over the same sources "
        "re-use them. Read when the judge first loads (one judge per process).")
    claim_entail_min: float = Field(
        default=0.5, ge=0.0, le=1.0,
        description="Judge entailment an LLM point's claim needs from its quotations or cited passages; below it "
        "(and without contradiction) the claim is marked 'not stated by the cited sources'.")
    claim_contra_min: float = Field(
        default=0.6, ge=0.0, le=1.0,
        description="Judge contradiction at which an LLM point's claim is flagged as contradicted by its sources.")


class LLMSettings(_Section):
    """The OpenAI-compatible LLM backend (unset: the offline evidence engine answers)."""

    base_url: str | None = Field(
        default=None, description="OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1. Unset: offline engine.")
    model: str | None = Field(default=None, description="Model name sent to the LLM server.")
    api_key: SecretStr | None = Field(default=None, description="API key; falls back to OPENAI_API_KEY.")
    timeout: float = Field(default=30.0, gt=0, description="Seconds before an LLM request is abandoned.")
    max_retries: int = Field(default=1, ge=0, le=5, description="Retries on 429/5xx/timeouts (bounded).")
    context_tokens: int = Field(default=8000, ge=512, description="Token budget of the model's context window.")
    max_tokens: int = Field(default=1200, ge=64, description="Maximum tokens of one LLM answer.")
    temperature: float = Field(default=0.2, ge=0.0, le=2.0, description="Sampling temperature.")
    history_turns: int = Field(default=4, ge=0, le=50, description="Earlier conversation messages sent to the LLM.")
    history_chars: int = Field(default=800, ge=0, le=20000,
                               description="Characters kept of each earlier message sent to the LLM.")

    _blank = field_validator("base_url", "model", mode="before")(_blank_is_none)

    def resolved_api_key(self) -> str | None:
        """The key sent to the server: `api_key`, else the OPENAI_API_KEY variable."""
        if self.api_key is not None and self.api_key.get_secret_value():
            return self.api_key.get_secret_value()
        return os.environ.get("OPENAI_API_KEY") or None

    @property
    def enabled(self) -> bool:
        return bool(self.base_url or (self.model and self.resolved_api_key()))


class WebSettings(_Section):
    """The web app (`debatebot serve`)."""

    host: str = Field(default="127.0.0.1", min_length=1,
                      description="Interface the web app binds to (0.0.0.0 is an explicit opt-in).")
    port: int = Field(default=7860, ge=1, le=65535, description="Port of the web app.")
    auth: SecretStr | None = Field(default=None, description="Optional login: 'user:pass,user2:pass2'.")
    upload_dir: Path = Field(
        default=DEFAULT_UPLOAD_DIR,
        description="Where uploaded files are kept (left at its default, uploads go to <index.dir>/uploads).")
    answer_concurrency: int = Field(
        default=4, ge=1, le=64,
        description="Answers the web app computes at once. More than one, so that users waiting on a slow "
        "or hung LLM server (each at most llm.timeout) do not queue behind each other.")
    history_turns: int = Field(
        default=8, ge=0, le=100,
        description="Earlier turns of a browser session handed to the engine with a question (follow-ups such as "
        "“and the other side?” need only the last few).")
    max_session_turns: int = Field(
        default=60, ge=1, le=10000,
        description="Answers one browser session keeps (chat, sources panel, brief); older ones are let go so "
        "a session's memory stays bounded.")
    login_delay: float = Field(default=1.0, ge=0, le=30,
                               description="Seconds a wrong login (web.auth) waits before it is refused.")
    login_max_failures: int = Field(
        default=5, ge=1, le=1000,
        description="Wrong logins for one user name within login_lockout seconds after which that name is "
        "locked for login_lockout seconds (even with the right password).")
    login_lockout: float = Field(default=300.0, ge=1, description="Seconds of the login failure window and lockout.")


class LimitsSettings(_Section):
    """Bounds on what one request or one file may cost."""

    max_query_chars: int = Field(default=2000, ge=10,
                                 description="Longer questions (and motions, speakers) are cut or refused at this "
                                 "many characters: a search needs no more, and the judge reads every word.")
    max_quote_chars: int = Field(
        default=20_000, ge=10,
        description="Longest quotation `quote` checks (a quotation may be a whole paragraph or speech, so it gets "
        "more room than a question; the verifier's cost grows with its length).")
    max_doc_chars: int = Field(
        default=2_000_000, ge=1000,
        description="Most characters of text one source file may yield. A larger file (e.g. a small PDF that "
        "repeats one compressed page many times) is refused with a message; nothing of it is indexed.")
    max_parse_seconds: float = Field(
        default=30.0, gt=0, le=3600,
        description="Most seconds reading one PDF may take; it is parsed in a separate process that is stopped "
        "at this limit (nothing of the file is indexed, other files are unaffected).")
    max_file_mb: float = Field(
        default=200.0, gt=0,
        description="Largest source file read at all, in MB (before any text is extracted): a bigger file is "
        "refused at once instead of being read into memory.")
    max_upload_mb: float = Field(default=20.0, gt=0, description="Largest accepted upload, in MB.")


SECTIONS: dict[str, type[_Section]] = {
    "index": IndexSettings, "retrieval": RetrievalSettings, "judge": JudgeSettings,
    "llm": LLMSettings, "web": WebSettings, "limits": LimitsSettings,
}
