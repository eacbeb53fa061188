"""Who said a quotation: speaker attribution and speaker-name matching (see `attribution`)."""

from debatebot.verify.speakers.attribution import (
    CUE_RE,
    PRONOUNS,
    Attribution,
    SpeakerKind,
    attribute,
    is_place,
    is_pronoun,
    named_in_text,
    person_name,
    quote_intervals,
    same_speaker,
    shown_speaker,
    speaker_kind,
)

__all__ = [
    "CUE_RE",
    "PRONOUNS",
    "Attribution",
    "SpeakerKind",
    "attribute",
    "is_place",
    "is_pronoun",
    "named_in_text",
    "person_name",
    "quote_intervals",
    "same_speaker",
    "shown_speaker",
    "speaker_kind",
]
