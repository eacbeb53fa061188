"""What the quote verifier returns: the verdict, the source stretches the words were found in, the
word-level diff, the context, the nearest passages and the speaker check."""

from __future__ import annotations

from pydantic import BaseModel, Field

from debatebot.core.models import SourceSpan, SpeakerCheck
from debatebot.core.verdicts import QuoteVerdict


class Span(SourceSpan):
    """A verbatim stretch of a source, with a similarity score for nearest passages."""

    score: float | None = Field(default=None, description="Similarity 0..100 (nearest passages only)")


class QuoteResult(BaseModel):
    quote: str
    verdict: QuoteVerdict
    match: Span | None = None
    pieces: list[Span] = Field(default_factory=list, description="Source stretches the quotation was built from")
    diff: list[dict[str, str]] = Field(default_factory=list, description="op: equal|replace|insert|delete|omitted")
    context: Span | None = Field(default=None, description="The matched sentence(s) with one sentence either side")
    nearest: list[Span] = Field(default_factory=list)
    speaker: SpeakerCheck = Field(default_factory=SpeakerCheck)
    explanation: str = ""
    coverage: float = Field(default=0.0, description="Share of the quotation's words found in the source")
