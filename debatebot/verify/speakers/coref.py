"""Coreference: a pronoun resolves to the most recent speaker named as the subject of a speech verb in
the previous sentences (up to 8), else to the first person-like name of the nearest previous sentence
that has one; surnames and titled names ("Mr. Obama") expand to the most recent full name in the
document that ends with the same surname."""

from __future__ import annotations

import re

from debatebot.core.text import SourceDocument
from debatebot.verify.speakers.cues import ANY_CUE, ING_CUE, is_verb
from debatebot.verify.speakers.names import (
    NAME,
    TITLES,
    clean_name,
    core_tokens,
    in_caps_heading,
    is_place,
    is_pronoun,
    person_like,
    person_name,
    proper_name,
    speaker_kind,
    without_initial_noun,
)
from debatebot.verify.speakers.spans import enclosing, quote_intervals
from debatebot.verify.speakers.subjects import clause_subject, subject_before

_NAME_ANY = re.compile(NAME)


def resolve_mention(doc: SourceDocument, mention: str, pos: int) -> str | None:
    """Pronouns to their antecedent; surnames and titled names to the fullest name in the doc."""
    if is_pronoun(mention):
        if mention.lower() in {"i", "you", "me"}:
            return None
        return recent_speaker(doc, pos)
    name = clean_name(mention)
    if speaker_kind(name) != "person":
        bare = person_name(name)  # "House Speaker Paul Ryan": a person, though "House" reads as an organisation
        if bare == name or speaker_kind(bare) != "person" or len(bare.split()) < 2:
            return name
        name = bare
    return _expand(doc, without_initial_noun(doc, person_name(name)), pos)


def _expand(doc: SourceDocument, name: str, pos: int) -> str:
    name = person_name(name)
    core = core_tokens(name)
    if not core or len(core) > 1:
        return name
    surname = core[-1]
    best: str | None = None
    for m in _NAME_ANY.finditer(doc.text):
        cand = clean_name(m.group(0))
        cc = core_tokens(cand)
        if len(cc) >= 2 and cc[-1] == surname and person_like(cand):
            if best is None or m.start() < pos:
                best = person_name(cand)
                best = " ".join(w for w in best.split(" ") if w.strip(".").lower() not in TITLES) or best
            if m.start() >= pos:
                break
    return best or name


def _verbless_line(sentence: str) -> bool:
    """A short line without a verb ("War and Peace."): a heading, whose names speak for no one."""
    words = [w.strip(",.;:!?\u2019'\"") for w in sentence.split()]
    return len(words) < 5 and not any(is_verb(w) for w in words if w)


def recent_speaker(doc: SourceDocument, pos: int, depth: int = 8, person_fallback: bool = True) -> str | None:
    """Most recent named subject of a speech verb before pos; else the first person-like name
    (outside quotation marks) of the nearest previous sentence that has one."""
    s = doc.sentence_at(pos)
    if s is None:
        return None
    text = doc.text
    iv = quote_intervals(doc)
    sentences = doc.sentences[max(0, s.id - depth) : s.id + 1]
    for sent in reversed(sentences):
        hi = min(sent.end, pos) if sent.id == s.id else sent.end
        for cm in reversed(list(ANY_CUE.finditer(text, sent.start, hi))):
            if enclosing(iv, cm.start(), cm.end()):
                continue
            cue = cm.group(0)
            if ING_CUE.match(cue):
                subj = clause_subject(text, sent.start, cm.start())
            else:
                subj = subject_before(text, cm.start(), sent.start)
                if subj is not None and enclosing(iv, subj[1], subj[2]):
                    subj = None  # words inside the quotation are not its speaker ("“Workers were…,” said X")
                if subj is None or is_pronoun(subj[0]):
                    inv = re.match(rf"\s+({NAME})", text[cm.end() : hi])  # “…,” said X
                    if inv and person_like(inv.group(1)):
                        subj = (inv.group(1), cm.end() + inv.start(1), cm.end() + inv.end(1))
            if subj and not is_pronoun(subj[0]) and speaker_kind(clean_name(subj[0])) in ("person", "organisation") \
                    and not in_caps_heading(text, subj[1], subj[2]):
                return _expand(doc, clean_name(subj[0]), subj[1])
        if person_fallback and sent.id != s.id and not _verbless_line(text[sent.start : sent.end]):
            subj = clause_subject(text, sent.start, hi)
            if subj and is_pronoun(subj[0]):
                continue  # "she issued a plan …: President Obama later adopted it": she is still the one meant
            if subj and person_like(clean_name(subj[0])) and proper_name(doc, clean_name(subj[0])) \
                    and not enclosing(iv, subj[1], subj[2]) and not is_place(doc, clean_name(subj[0])):
                return _expand(doc, clean_name(subj[0]), subj[1])  # the subject of the sentence before goes on
            for nm in _NAME_ANY.finditer(text, sent.start, hi):
                if person_like(nm.group(0)) and not enclosing(iv, nm.start(), nm.end()) \
                        and proper_name(doc, clean_name(nm.group(0))) and not is_place(doc, clean_name(nm.group(0))):
                    return _expand(doc, clean_name(nm.group(0)), nm.start())
    return None
