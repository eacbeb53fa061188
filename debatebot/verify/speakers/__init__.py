"""Who said a quotation, by the conventions of news writing, and whether a claimed speaker is the same
person. `attribution` holds the rules (and `attribute`, the entry point); it builds on `spans` (the
quotations of a document), `names` (what a name is, and name matching), `cues` (speech verbs and the
patterns around a quotation), `subjects` (the subject of a speech verb) and `coref` (pronouns and
surnames to the name meant)."""

from debatebot.verify.speakers.attribution import Attribution, attribute, shown_speaker
from debatebot.verify.speakers.cues import CUE_RE
from debatebot.verify.speakers.names import (
    PRONOUNS,
    SpeakerKind,
    is_place,
    is_pronoun,
    named_in_text,
    person_name,
    same_speaker,
    speaker_kind,
)
from debatebot.verify.speakers.spans import quote_intervals

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
