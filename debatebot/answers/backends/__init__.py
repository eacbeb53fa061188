"""Answer backends behind one protocol (`Backend`), and the registry that picks the configured one.

- `offline`: the evidence engine (verbatim, cited sentences; no network). Always there: the fallback.
- `llm`: any OpenAI-compatible chat server. The primary backend when the settings configure one."""

from __future__ import annotations

from debatebot.answers.backends.base import Backend
from debatebot.core.settings import Settings


def make_backend(settings: Settings) -> Backend | None:
    """The primary backend the settings ask for (the LLM when one is configured), or None when the
    offline engine answers alone."""
    if settings.llm.enabled:
        from debatebot.answers.backends.llm import LLMBackend

        return LLMBackend(settings)
    return None


__all__ = ["Backend", "make_backend"]
