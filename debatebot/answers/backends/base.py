"""The one interface every answer backend implements."""

from __future__ import annotations

from typing import Protocol

from debatebot.answers.stream import AnswerStream
from debatebot.core.models import Passage, Request
from debatebot.core.text import SourceDocument


class Backend(Protocol):
    """Turns a request and its retrieved passages into an answer.

    `passages` are what retrieval returned for the request (the only text the backend may cite);
    `docs` maps document id -> SourceDocument for exact offsets and context. `stream` returns the
    answer's markdown fragments as they are produced, then the Answer (see AnswerStream). A backend
    that cannot answer raises BackendError; the engine then asks its fallback."""

    name: str  # "offline" or "llm"
    label: str  # shown to users, e.g. "offline evidence engine (extractive)" or "LLM: gpt-4o-mini"

    def stream(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> AnswerStream: ...
