"""The one settings object, in sections: `index`, `retrieval`, `judge`, `llm`, `web`, `limits`.

Every field is an environment variable with the `DEBATEBOT_` prefix, by its nested name
(`DEBATEBOT_LLM__BASE_URL`: section, two underscores, field) and, for the fields that had one before the
sections, by its documented flat name (`DEBATEBOT_LLM_BASE_URL`, `DEBATEBOT_INDEX_DIR`, `DEBATEBOT_TOP_K`;
the table `FLAT_NAMES`). Both spellings also work as keyword arguments: `Settings(index_dir=...,
embedding_model="hash")` and `Settings(index={"dir": ..., "embedding_model": "hash"})`. When both name one
field, the nested name wins in the environment; keyword arguments win over the environment.
docs/configuration.md lists every field."""

from __future__ import annotations

import json
import os
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo
from pydantic_settings import (
    BaseSettings,
    EnvSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    SettingsError,
)

from debatebot.core.errors import ConfigError
from debatebot.core.settings_sections import (  # noqa: F401  (the sections are importable from here too)
    DEFAULT_UPLOAD_DIR,
    PASSAGES_PER_MODE,
    SECTIONS,
    SEEDS_DIR,
    IndexSettings,
    JudgeSettings,
    LimitsSettings,
    LLMSettings,
    RetrievalSettings,
    WebSettings,
)

ENV_PREFIX = "DEBATEBOT_"
NESTED = "__"  # DEBATEBOT_<SECTION>__<FIELD>
# the flat names of before the sections (documented; environment DEBATEBOT_<NAME> and keyword arguments)
FLAT_NAMES: dict[str, tuple[str, str]] = {
    "index_dir": ("index", "dir"),
    **{name: ("index", name) for name in (
        "collection", "chroma_url", "chroma_token", "chroma_tenant", "chroma_database", "chroma_timeout",
        "embedding_model", "embedding_batch_tokens", "chunk_tokens", "chunk_overlap", "encoding", "seeds_dir")},
    "retrieval": ("retrieval", "method"),
    **{name: ("retrieval", name) for name in ("top_k", "candidates", "passages_per_mode", "rrf_k", "mmr_lambda")},
    **{f"llm_{name}": ("llm", name) for name in (
        "base_url", "model", "api_key", "timeout", "max_retries", "context_tokens", "max_tokens", "temperature",
        "history_turns", "history_chars")},
    **{name: ("web", name) for name in (
        "host", "port", "auth", "upload_dir", "answer_concurrency", "history_turns", "max_session_turns",
        "login_delay", "login_max_failures", "login_lockout")},
    **{name: ("limits", name) for name in ("max_query_chars", "max_doc_chars", "max_parse_seconds", "max_upload_mb")},
}
_FLAT_OF = {place: name for name, place in FLAT_NAMES.items()}


def env_names(section: str, field: str) -> list[str]:
    """The environment variables of one field: the nested name, then the flat one where it has one."""
    names = [f"{ENV_PREFIX}{section.upper()}{NESTED}{field.upper()}"]
    if (section, field) in _FLAT_OF:
        names.append(f"{ENV_PREFIX}{_FLAT_OF[section, field].upper()}")
    return names


def _is_flat(key: str, value: Any) -> bool:
    # `retrieval` is both a section and the flat name of retrieval.method: a string is the method
    return key in FLAT_NAMES and not (key in SECTIONS and not isinstance(value, str))


def _nest(data: dict[str, Any]) -> dict[str, Any]:
    """Flat keys (`index_dir`, `llm_base_url`...) moved into their sections; a flat key wins over the same
    field given in its section in the same call. Other keys are left for validation to judge."""
    out = {k: v for k, v in data.items() if not _is_flat(k, v)}
    for key, value in data.items():
        if not _is_flat(key, value):
            continue
        section, field = FLAT_NAMES[key]
        current = out.get(section)
        if isinstance(current, BaseModel):
            current = current.model_dump()
        out[section] = {**(current if isinstance(current, dict) else {}), field: value}
    return out


def _merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


class _InitSource(PydanticBaseSettingsSource):
    """Keyword arguments, flat names nested first (so that they merge with the environment by field)."""

    def __init__(self, settings_cls: type[BaseSettings], inner: PydanticBaseSettingsSource) -> None:
        super().__init__(settings_cls)
        self.inner = inner

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # not used: __call__ gives everything

    def __call__(self) -> dict[str, Any]:
        return _nest(self.inner())


class _SectionEnv(EnvSettingsSource):
    """pydantic-settings' environment source (nested names, a section as one JSON object), except that a
    section-named variable that is no JSON object is the flat name of the same spelling
    (DEBATEBOT_RETRIEVAL=dense), left to `_FlatEnv`."""

    def prepare_field_value(self, field_name: str, field: FieldInfo, value: Any, value_is_complex: bool) -> Any:
        if field_name in FLAT_NAMES and isinstance(value, str) and not value.lstrip().startswith("{"):
            value = None
        return super().prepare_field_value(field_name, field, value, value_is_complex)


class _FlatEnv(PydanticBaseSettingsSource):
    """The documented flat names (DEBATEBOT_LLM_BASE_URL, DEBATEBOT_INDEX_DIR...), below the nested ones."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # not used: __call__ gives everything

    def __call__(self) -> dict[str, Any]:
        env = {k.upper(): v for k, v in os.environ.items() if k.upper().startswith(ENV_PREFIX)}
        out: dict[str, dict[str, Any]] = {}
        for name, (section, field) in FLAT_NAMES.items():
            value: Any = env.get(f"{ENV_PREFIX}{name.upper()}")
            if value is None or (name in SECTIONS and value.lstrip().startswith("{")):
                continue  # DEBATEBOT_RETRIEVAL='{"top_k": 3}' is the section (`_SectionEnv`)
            if field == "passages_per_mode":
                try:
                    value = json.loads(value)
                except ValueError:
                    pass  # validation names the variable
            out.setdefault(section, {})[field] = value
        return out


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_nested_delimiter=NESTED, env_file=None,
                                      extra="forbid")

    index: IndexSettings = Field(default_factory=IndexSettings, description=IndexSettings.__doc__)
    retrieval: RetrievalSettings = Field(default_factory=RetrievalSettings, description=RetrievalSettings.__doc__)
    judge: JudgeSettings = Field(default_factory=JudgeSettings, description=JudgeSettings.__doc__)
    llm: LLMSettings = Field(default_factory=LLMSettings, description=LLMSettings.__doc__)
    web: WebSettings = Field(default_factory=WebSettings, description=WebSettings.__doc__)
    limits: LimitsSettings = Field(default_factory=LimitsSettings, description=LimitsSettings.__doc__)

    @classmethod
    def settings_customise_sources(cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource,
                                   ) -> tuple[PydanticBaseSettingsSource, ...]:
        # highest first: keyword arguments, nested environment names, flat environment names
        return (_InitSource(settings_cls, init_settings), _SectionEnv(settings_cls), _FlatEnv(settings_cls),
                dotenv_settings, file_secret_settings)

    @model_validator(mode="before")
    @classmethod
    def _flat_names(cls, data: Any) -> Any:
        return _nest(data) if isinstance(data, dict) else data  # model_validate({...flat...}) too

    def updated(self, **changes: Any) -> Settings:
        """A validated copy with `changes` (flat names or sections: `updated(port=8080)`,
        `updated(web={"port": 8080})`); an invalid value is a ConfigError, as in `load_settings`.
        (`model_copy(update=...)` does not validate.)"""
        try:
            return type(self).model_validate(_merge(self.model_dump(), _nest(changes)))
        except ValidationError as e:
            raise _config_error(e) from e


def _config_error(e: ValidationError | SettingsError) -> ConfigError:
    """One line per problem, naming the variable (nested name when that is the one set, else the flat one)."""
    hint = "Fix or unset the variable; docs/configuration.md lists every variable and its default."
    if isinstance(e, SettingsError):
        return ConfigError(f"Invalid setting: {e}.", hint=hint)

    def shown(err: Any) -> str:
        loc = [str(p) for p in err.get("loc", ())]
        if not loc:
            return str(err["msg"])
        if loc[0] in SECTIONS and len(loc) >= 2 and loc[1] in SECTIONS[loc[0]].model_fields:
            names = env_names(loc[0], loc[1])
            name = next((n for n in names if n in os.environ), names[-1])
            secret = "SecretStr" in str(SECTIONS[loc[0]].model_fields[loc[1]].annotation)
        else:
            name = ENV_PREFIX + NESTED.join(loc).upper()
            secret = False
        value = "…" if secret else err.get("input")
        return f"{name}={value!s}: {err['msg']}"

    return ConfigError(f"Invalid setting: {'; '.join(shown(err) for err in e.errors())}.", hint=hint)


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment (and `overrides`, flat names or sections); an invalid value is a
    ConfigError naming its variable, not a validation traceback."""
    try:
        return Settings(**overrides)
    except (ValidationError, SettingsError) as e:
        raise _config_error(e) from e


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
