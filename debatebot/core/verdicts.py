"""The verdicts an answer can carry, and how each is written for readers (one table for every surface)."""

from __future__ import annotations

from typing import Literal, get_args

ClaimVerdict = Literal["supported", "contradicted", "partly_supported", "not_in_sources"]
CLAIM_VERDICTS: tuple[str, ...] = get_args(ClaimVerdict)
QuoteVerdict = Literal["exact", "altered", "spliced", "truncated", "not_quoted", "not_found"]
SpeakerVerdict = Literal["correct", "misattributed", "unattributed", "not_checked"]

# plain words (badges, briefs, reports)
VERDICT_TEXT = {
    "supported": "Supported", "contradicted": "Contradicted", "partly_supported": "Partly supported",
    "not_in_sources": "Not in the sources", "exact": "Exact quotation", "altered": "Altered quotation",
    "spliced": "Spliced quotation", "truncated": "Truncated quotation", "not_quoted": "Not a quotation (reported speech)",
    "not_found": "Quotation not found", "misattributed": "Misattributed quotation", "not_checked": "Not checked",
}
_SYMBOL = {
    "supported": "✅", "contradicted": "❌", "partly_supported": "◐", "not_in_sources": "∅", "exact": "✅",
    "altered": "✏️", "spliced": "✂️", "truncated": "⚠️", "not_quoted": "⚠️", "not_found": "∅",
    "misattributed": "👤", "not_checked": "·",
}
# with a symbol, in answers (markdown)
VERDICT_LABELS = {v: f"{_SYMBOL[v]} {text}" for v, text in VERDICT_TEXT.items()}
VERDICT_LABELS["truncated"] += " (meaning changed)"

Verdict = Literal["supported", "contradicted", "partly_supported", "not_in_sources", "exact", "altered", "spliced",
                  "truncated", "not_quoted", "not_found", "misattributed", "not_checked"]

# how a speaker check reads: (badge, phrase in a sentence)
SPEAKER_TEXT = {
    "correct": ("Speaker correct", "correctly attributed"),
    "misattributed": ("Misattributed", "misattributed"),
    "unattributed": ("Speaker not named in the source", "the source does not say who said it"),
    "not_checked": ("Speaker not checked", "speaker not checked"),
}
_SPEAKER_SYMBOL = {"correct": "✅", "misattributed": "❌", "unattributed": "∅", "not_checked": "·"}
SPEAKER_LABELS = {v: f"{_SPEAKER_SYMBOL[v]} {phrase}" for v, (_, phrase) in SPEAKER_TEXT.items()}
