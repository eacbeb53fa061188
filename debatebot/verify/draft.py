"""Draft check: every quotation (with the speaker the draft gives it) and every checkable factual
sentence of a draft article, found with offsets into the draft.

`find_items(text)` only reads the draft: quotations are the spans between quotation marks (the
speaker finder's rules, applied to the draft itself); a claim is a sentence outside quotations that
states something: every declarative sentence but an opinion with no number, date or name in it
("A shorter week is surely better for everyone"). Every other sentence is accounted for too, as an
item of kind "unchecked" with the reason (a question, a heading, an opinion, too short, its quotation
too short to check, over the item limit). The
engine verifies the items (`debatebot.answers.engine.check_draft`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from debatebot.core.errors import InputError
from debatebot.core.text import SourceDocument
from debatebot.verify.speakers import attribute, quote_intervals

MAX_DRAFT_BYTES = 1_000_000  # a larger draft is refused, with this limit named
MIN_QUOTE_WORDS = 3  # shorter quotations ("scare quotes") are not checked as quotations
MAX_ITEMS = 200  # items checked per draft

_NUMBER = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|"
                     r"fifty|hundreds?|thousands?|millions?|billions?|dozens?|half|quarters?|thirds?|majority|"
                     r"minority|most|all|none|every|percent|per cent|twice|double|doubled|tripled|halved)\b", re.I)
_NAME = re.compile(r"(?<=\s)[A-Z][a-z]+")
# a view rather than a report: a modal of obligation, a stance adverb, the writer's own "I think"
_OPINION = re.compile(r"\b(?:should|must|ought|surely|clearly|obviously|undoubtedly|arguably|i think|i believe|we believe|"
                      r"in my view|in our view|deserves?|shameful|disgraceful|wonderful|terrible)\b", re.I)
_MID_NAME = re.compile(r"(?<=[a-z0-9,;] )[A-Z][a-z]+")  # capitalised mid-sentence



@dataclass(frozen=True)
class DraftItem:
    kind: str  # "quote" | "claim"
    text: str  # the quotation without its marks, or the sentence
    start: int  # offsets of `text` in the draft
    end: int
    speaker: str | None = None  # the speaker the draft gives a quotation
    reason: str | None = None  # why an "unchecked" sentence is not checked


_AFFILIATION = re.compile(r"\s+(?:of|from|at|for)\s+.*$|,.*$")


def _person(name: str | None) -> str | None:
    """The name alone: "Nick Reynolds of RUSI" -> "Nick Reynolds" (the draft's own wording of who spoke)."""
    if not name:
        return None
    return _AFFILIATION.sub("", name).strip() or name


def why_unchecked(sentence: str, names: frozenset[str] = frozenset()) -> str | None:
    """Why a sentence (outside quotations) is not checked as a claim, or None when it is checkable:
    a statement, unless it is an opinion (`_OPINION`) that states no number, quantity or date and
    names no one (a capitalised word after the first, or a first word the draft capitalises
    mid-sentence too: `names`)."""
    s = sentence.strip()
    if s.endswith("?"):
        return "a question"
    if s[-1:] not in ".!\u201d\"'":
        return "a heading or an unfinished line"
    if len(s.split()) < 4:
        return "too short to check"
    first = s.split()[0].strip("\"'\u201c\u2018(")
    named = bool(_NAME.search(s)) or first in names
    if _OPINION.search(s) and not (_NUMBER.search(s) or named):
        return "an opinion (no number, date or name to check)"
    return None


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
    quoted_at = [it.start for it in items]
    names = frozenset(_MID_NAME.findall(doc.text))
    for s in doc.sentences:
        body = doc.text[s.start : s.end]
        quoted = sum(min(qe, s.end) - max(qs, s.start) for qs, qe in quotes if qs < s.end and qe > s.start)
        if quoted > 0.3 * len(body):
            if not any(s.start <= q < s.end for q in quoted_at):
                items.append(DraftItem("unchecked", body, s.start, s.end, reason="its quotation is too short to "
                                       "check as a quotation"))
            continue  # its quotation is an item of its own
        why = why_unchecked(body, names)
        items.append(DraftItem("unchecked", body, s.start, s.end, reason=why) if why else
                     DraftItem("claim", body, s.start, s.end))
    items.sort(key=lambda it: (it.start, it.kind))
    checked = 0
    out = []
    for it in items:  # past the limit, items are listed, not checked
        if it.kind != "unchecked":
            checked += 1
            if checked > MAX_ITEMS:
                it = DraftItem("unchecked", it.text, it.start, it.end,
                               reason=f"over the limit of {MAX_ITEMS} checks per draft: check the rest in parts")
        out.append(it)
    return out
