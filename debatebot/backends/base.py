"""The one interface every answer backend implements."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol

from ..models import Answer, Passage, Request
from ..text import SourceDocument


class Backend(Protocol):
    """Turns a request and its retrieved passages into an answer.

    `passages` are what retrieval returned for the request (the only text the backend may cite);
    `docs` maps document id -> SourceDocument for exact offsets and context.
    `stream` yields markdown fragments as they are produced and finally returns the full Answer
    (generator return value); `answer` is the non-streaming form."""

    name: str  # "offline" or "llm"
    label: str  # shown to users, e.g. "offline evidence engine (extractive)" or "LLM: gpt-4o-mini"

    def answer(self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]) -> Answer: ...

    def stream(
        self, request: Request, passages: list[Passage], docs: dict[str, SourceDocument]
    ) -> Iterator[str]: ...
