"""Data shapes shared by retrieval, the answer engine, verification, the CLI and the UI.

Every `text` carried by a `Quote` or `Passage` is an exact slice `original_text[start:end]` of the
document named by `doc`."""

from __future__ import annotations

from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, Field


class Mode(str, Enum):
    ask = "ask"
    argue = "argue"
    rebut = "rebut"
    check = "check"
    quote = "quote"
    summary = "summary"
    practice = "practice"


Side = Literal["for", "against", "neutral"]
MotionSide = Literal["for", "against"]
BackendName = Literal["offline", "llm"]


class Passage(BaseModel):
    """A retrieved chunk with its citation."""

    id: str = Field(description="Stable chunk id")
    text: str
    doc: str = Field(description="Document id: path relative to where it was indexed from")
    title: str = ""
    paragraph: int = Field(description="First paragraph index (0-based) the passage covers")
    paragraph_end: int = Field(description="Last paragraph index covered")
    start: int
    end: int
    sentence_ids: list[int] = Field(default_factory=list)
    score: float = 0.0


class SourceSpan(BaseModel):
    """A verbatim stretch of a source: `text == document.text[start:end]`."""

    text: str
    doc: str
    start: int
    end: int
    paragraph: int = 0
    title: str = ""


class Quote(SourceSpan):
    """A verbatim quotation with the exact place it comes from."""

    passage_id: str | None = None
    speaker: str | None = None
    marker: int | None = Field(default=None, description="Number of the citation marker [n] in the answer")


class Point(BaseModel):
    claim: str
    side: Side | None = None
    quotes: list[Quote] = Field(default_factory=list)
    holder: str | None = Field(default=None, description="Who holds this position, when the source says")
    verdict: str | None = None
    confidence: float | None = Field(default=None, description="How sure the judge is that the evidence serves "
                                     "the side (its probability, 0-1)")
    leaning: bool = Field(default=False, description="Under the judge's confident floor: the best of the rest, "
                          "given so that a side is never empty; shown apart, as the judge leaning")


class Request(BaseModel):
    mode: Mode
    text: str = Field(default="", description="Question, motion, argument, claim or quotation")
    side: MotionSide | None = None
    motion: str | None = None
    speaker: str | None = None
    topic: str | None = None
    docs: list[str] | None = Field(default=None, description="Restrict retrieval to these document ids")
    history: list[dict[str, str]] = Field(default_factory=list, description="Earlier turns: {role, content}")


class Answer(BaseModel):
    mode: Mode
    backend: BackendName
    answer: str = Field(description="Markdown text with numbered citation markers [n]")
    points: list[Point] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    sources: list[Quote] = Field(default_factory=list, description="Numbered sources list, marker n = index n-1")
    verdict: str | None = None
    details: dict[str, Any] = Field(default_factory=dict, description="Mode-specific extras (diff, speaker...)")

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
