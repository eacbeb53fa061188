"""Reported speech: who says what. A source sentence read with its pronoun speaker named
(`with_speaker_named`), and a claim's speech frame split from its words (`reported_speech`), both
from the speaker finder (debatebot.verify.speakers)."""

from __future__ import annotations

import re

from debatebot.core.text import SourceDocument
from debatebot.verify.speakers import attribute, is_pronoun

_PRONOUN_SPEAKER = re.compile(r"\b(?:he|she|they)\b", re.I)


def with_speaker_named(doc: SourceDocument, start: int, end: int) -> str:
    """doc.text[start:end] with a pronoun that names its speaker replaced by the name it refers
    to ("“…,” she said" -> "“…,” Ines Duarte said"), else unchanged: what a reader of the whole
    article knows, for a judge that reads one sentence (it took "he said" against a claim's "<name>
    said" for a changed name)."""
    text = doc.text[start:end]
    if not _PRONOUN_SPEAKER.search(text):
        return text
    att = attribute(doc, start, end)
    if (att.speaker and att.mention and is_pronoun(att.mention) and att.mention_start is not None
            and att.mention_end is not None and start <= att.mention_start < att.mention_end <= end
            and att.kind in ("person", "organisation")):
        a, b = att.mention_start - start, att.mention_end - start
        return text[:a] + att.speaker + text[b:]
    return text


# verbs that report words (a closed class): "began", "called", "reported a rise" frame no speech
_SAYS = re.compile(r"(?:say|says|said|saying|add|adds|added|argue|argues|argued|state|states|stated|note|notes|noted|"
                   r"warn|warns|warned|claim|claims|claimed|insist|insists|insisted|explain|explains|explained|"
                   r"remark|remarks|remarked|write|writes|wrote|announce|announces|announced|stress|stresses|"
                   r"stressed|suggest|suggests|suggested|tell|tells|told|believe|believes|believed)", re.I)
_TELLS = re.compile(r"tell|tells|told", re.I)
_NOT_SAID = re.compile(r"\b(?:not|never|no longer)\b|n't\b", re.I)  # "did not say", "never said"


def reported_speech(text: str) -> tuple[str, str] | None:
    """(speaker, what they said) when `text` reports someone's words: "X said (that) Y", "Y, X
    said", "X told Z that Y", "According to X, Y"; None otherwise: no speech verb, a denied or
    negated one ("X did not say", "X denied that"), a pronoun or no one named. The speaker finder
    reads the claim as it reads a source sentence."""
    att = attribute(SourceDocument.from_text("claim", text), 0, len(text))
    if (not att.speaker or att.kind not in ("person", "organisation") or att.mention_start is None
            or att.mention_end is None or not att.mention or is_pronoun(att.mention) or " and " in att.speaker
            or _NOT_SAID.search(att.mention)):
        return None
    strip = " ,:;\u201c\u201d\"'."
    before, after = text[: att.mention_start], text[att.mention_end :]
    if att.method == "according_to":
        content = after
    else:
        if not att.cue or not _SAYS.fullmatch(att.cue):
            return None
        cue = re.search(rf"\b{re.escape(att.cue)}\b", after)
        if cue is None or cue.start() >= 60 or _NOT_SAID.search(after[: cue.start()]):
            return None
        content = after[cue.end():]
        if _TELLS.fullmatch(att.cue):  # "told the committee that Y": the listener is not the words
            that = re.search(r"\bthat\b", content)
            content = content[that.end():] if that and that.start() < 60 else ""
        content = re.sub(r"^\s*(?:that|:|,)\s*", "", content)
        if len(content.split()) < 3:
            content = before
    content = content.strip(strip)
    return (att.speaker, content) if len(content.split()) >= 3 else None
