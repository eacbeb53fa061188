"""Draft check: every quotation (with the speaker the draft gives it) and every checkable factual
sentence of a draft article, found with offsets into the draft.

`find_items(text)` only reads the draft: quotations are the spans between quotation marks (the
speaker finder's rules, applied to the draft itself); a claim is a sentence outside quotations that
states something checkable: a number or date, or a name after its first word, and a verb. Questions,
headings and sentences that are mostly quotation are skipped. The engine verifies the items
(`debatebot.answers.engine.check_draft`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from debatebot.core.errors import InputError
from debatebot.core.text import SourceDocument
from debatebot.judge.verify.speakers import attribute, quote_intervals

MAX_DRAFT_BYTES = 1_000_000  # a larger draft is refused, with this limit named
MIN_QUOTE_WORDS = 3  # shorter quotations ("scare quotes") are not checked as quotations
MAX_ITEMS = 200  # items checked per draft

_VERB = re.compile(r"\b(?:is|are|was|were|has|have|had|will|would|can|could|did|does|do|said|says|says|[a-z]{3,}ed|"
                   r"[a-z]{3,}s)\b")
_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundreds?|thousands?|millions?|billions?|dozens?|half)\b", re.I)
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+")


@dataclass(frozen=True)
class DraftItem:
    kind: str  # "quote" | "claim"
    text: str  # the quotation without its marks, or the sentence
    start: int  # offsets of `text` in the draft
    end: int
    speaker: str | None = None  # the speaker the draft gives a quotation


_AFFILIATION = re.compile(r"\s+(?:of|from|at|for)\s+.*$|,.*$")


def _person(name: str | None) -> str | None:
    """The name alone: "Nick Reynolds of RUSI" -> "Nick Reynolds" (the draft's own wording of who spoke)."""
    if not name:
        return None
    return _AFFILIATION.sub("", name).strip() or name


def _checkable(sentence: str) -> bool:
    s = sentence.strip()
    if len(s.split()) < 5 or s.endswith("?") or not s[-1:] in ".!\u201d\"'":
        return False
    has_fact = bool(_NUMBER.search(s) or _NAME.search(s))
    return has_fact and bool(_VERB.search(s))


def find_items(text: str) -> list[DraftItem]:
    if len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
        raise InputError(f"The draft is larger than the {MAX_DRAFT_BYTES // 1_000_000} MB limit of a draft check.",
                         hint="Check the article in parts.")
    if not text.strip():
        raise InputError("The draft is empty.", hint="Paste or upload the article text.")
    doc = SourceDocument.from_text("draft", text)
    items: list[DraftItem] = []
    quotes = quote_intervals(doc)
    for qs, qe in quotes:
        inner_s, inner_e = qs + 1, qe - 1 if doc.text[qe - 1 : qe] in "\u201d\"" else qe
        inner = doc.text[inner_s:inner_e]
        stripped = inner.strip(" ,.")
        if len(stripped.split()) < MIN_QUOTE_WORDS:
            continue
        lead = inner.find(stripped)
        att = attribute(doc, inner_s, inner_e)
        items.append(DraftItem("quote", stripped, inner_s + lead, inner_s + lead + len(stripped), _person(att.speaker)))
    for s in doc.sentences:
        body = doc.text[s.start : s.end]
        quoted = sum(min(qe, s.end) - max(qs, s.start) for qs, qe in quotes if qs < s.end and qe > s.start)
        if quoted > 0.3 * len(body) or not _checkable(body):
            continue
        items.append(DraftItem("claim", body, s.start, s.end))
    items.sort(key=lambda it: (it.start, it.kind))
    return items[:MAX_ITEMS]
