"""Data shapes shared by retrieval, the answer engine, verification, the CLI and the UI.

Every `text` carried by a `Quote` or `Passage` is an exact slice `original_text[start:end]` of the
document named by `doc`."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from debatebot.core.verdicts import SpeakerVerdict, Verdict


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


class DiffOp(BaseModel):
    """One step of a word-level difference between a source and a quotation of it."""

    op: Literal["equal", "replace", "delete", "insert", "omitted"]
    source: str = ""
    quote: str = ""


class SpeakerCheck(BaseModel):
    """Who a quotation is attributed to, who the source says spoke it, and the verdict on that."""

    claimed: str | None = None
    actual: str | None = Field(default=None, description="Who the source says spoke these words")
    verdict: SpeakerVerdict = "not_checked"
    mention: SourceSpan | None = Field(default=None, description="Where the source names the speaker")


class Position(BaseModel):
    """A stakeholder's position in a summary (for / against / leans ... / neutral), with its evidence."""

    who: str
    position: str
    quote: Quote


class Figure(BaseModel):
    """A key figure of a summary and the source sentence that gives it."""

    figure: str
    quote: Quote


class StudentClaim(BaseModel):
    """What a practice argument states, and the claim check's verdict on it."""

    text: str
    verdict: str | None = None


# ---- the body of an answer: typed blocks that every surface renders in its own way -----------------
class Heading(BaseModel):
    kind: Literal["heading"] = "heading"
    text: str
    level: int = Field(default=3, ge=1, le=6)


class Note(BaseModel):
    """A line of the engine's own prose; `lead` is shown bold before it, `emphasis` sets it in italics."""

    kind: Literal["note"] = "note"
    text: str
    lead: str | None = None
    emphasis: bool = False


class Prose(BaseModel):
    """Markdown written by an LLM, with citation markers [n] (already guarded and converted)."""

    kind: Literal["prose"] = "prose"
    markdown: str


class Points(BaseModel):
    """Numbered points (argue, rebut, summary sides, an LLM's evidence) with their quotations."""

    kind: Literal["points"] = "points"
    points: list[Point]
    start: int = 1


class QuoteLine(BaseModel):
    """One quotation shown on its own ("Source:", "Nearest passage:")."""

    kind: Literal["quote"] = "quote"
    quote: Quote
    label: str | None = None


class ClaimPart(BaseModel):
    """One atomic part of a checked claim: its verdict, the reason and the deciding quotations."""

    kind: Literal["part"] = "part"
    text: str
    verdict: str | None = None
    reason: str = ""
    quotes: list[Quote] = Field(default_factory=list)
    show_text: bool = True


class Context(BaseModel):
    """Passages shown beside the evidence, labelled as context (never points)."""

    kind: Literal["context"] = "context"
    label: str
    quotes: list[Quote]


class Table(BaseModel):
    """A table whose rows each end with a citation of `quotes[i]`."""

    kind: Literal["table"] = "table"
    title: str
    headers: list[str]
    rows: list[list[str]]
    quotes: list[Quote]


class Diff(BaseModel):
    kind: Literal["diff"] = "diff"
    ops: list[DiffOp]


class Speaker(BaseModel):
    kind: Literal["speaker"] = "speaker"
    check: SpeakerCheck


Block = Annotated[Heading | Note | Prose | Points | QuoteLine | ClaimPart | Context | Table | Diff | Speaker,
                  Field(discriminator="kind")]


class Answer(BaseModel):
    """What the engine answers: typed blocks, points, verdict and sources. Every surface (Markdown for
    the CLI and the API, the web page's cards, --json) renders it; none reads another's output."""

    mode: Mode
    backend: BackendName
    blocks: list[Block] = Field(default_factory=list, description="The body, in reading order")
    answer: str = Field(default="", description="The body as Markdown with numbered citation markers [n] "
                        "(answers.markdown renders it from the blocks)")
    points: list[Point] = Field(default_factory=list)
    notices: list[str] = Field(default_factory=list)
    sources: list[Quote] = Field(default_factory=list, description="Numbered sources list, marker n = index n-1")
    verdict: Verdict | None = None
    speaker: SpeakerCheck | None = Field(default=None, description="The speaker check of a quotation")
    diff: list[DiffOp] = Field(default_factory=list, description="Word-level difference of a quotation")
    positions: list[Position] = Field(default_factory=list, description="Who holds which position (summary)")
    figures: list[Figure] = Field(default_factory=list, description="Key figures (summary)")
    student_claim: StudentClaim | None = Field(default=None, description="The practice argument's claim check")
    details: dict[str, Any] = Field(default_factory=dict, description="Diagnostics a renderer never reads: the "
                                    "verifier's record, the judge's numbers, the LLM call's figures")

    @property
    def context(self) -> Context | None:
        return next((b for b in self.blocks if isinstance(b, Context)), None)

    def to_json(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


# ---- the draft check -------------------------------------------------------------------------
class DraftItem(BaseModel):
    kind: Literal["quote", "claim", "unchecked"]
    text: str
    start: int = Field(description="Offsets into the draft")
    end: int
    verdict: str | None
    speaker: SpeakerCheck | None = None
    evidence: list[SourceSpan] = Field(default_factory=list)
    diff: list[DiffOp] = Field(default_factory=list)
    reason: str | None = Field(default=None, description="Why a sentence was not checked")

    @property
    def shown_verdict(self) -> str:
        """The verdict a reader sees: an exact quotation with the wrong speaker is misattributed."""
        if (self.speaker is not None and self.speaker.verdict == "misattributed"
                and self.verdict in ("exact", "truncated", "altered")):
            return "misattributed"
        return str(self.verdict)


class DraftReport(BaseModel):
    items: list[DraftItem]

    @property
    def counts(self) -> dict[str, int]:
        """Items per verdict as the items show them."""
        counts: dict[str, int] = {}
        for it in self.items:
            counts[it.shown_verdict] = counts.get(it.shown_verdict, 0) + 1
        return counts

    def to_json(self) -> dict[str, Any]:
        """The `check-draft --json` object: {"items": [...], "counts": {verdict: n}}."""
        items = [it.model_dump(mode="json", exclude={"speaker": {"mention"}}) for it in self.items]
        for it, row in zip(self.items, items):
            row["evidence"] = [{k: e[k] for k in ("text", "doc", "start", "end")} for e in row["evidence"]]
            if it.kind != "unchecked":
                row.pop("reason", None)
        return {"items": items, "counts": self.counts}
