"""The subject of a speech verb: the name or pronoun right before it, else the subject of its clause."""

from __future__ import annotations

import re

from debatebot.verify.speakers.cues import (
    ADV,
    LEAD_ADVERBIAL,
    PREP,
    PRON,
    QUOTE_MARKS,
    SUBJ_END,
    is_verb,
    trim_np,
)
from debatebot.verify.speakers.names import (
    NAME,
    is_noise,
    is_pronoun,
    name_at_end,
    named_in_text,
    speaker_kind,
)


def clause_subject(text: str, lo: int, hi: int) -> tuple[str, int, int] | None:
    """Subject of the clause text[lo:hi]: the words before its first verb (a leading adverbial
    phrase skipped, an apposition cut off); a name ending that phrase is preferred."""
    seg = text[lo:hi]
    off = 0
    m = LEAD_ADVERBIAL.match(seg)
    if m:
        off = m.end()
    rest = seg[off:]
    stripped = rest.lstrip(QUOTE_MARKS + "\u2018\u2019'( ")
    off += len(rest) - len(stripped)
    words = list(re.finditer(r"[^\s]+", stripped))
    end = None
    for w in words[:14]:
        token = w.group().strip(",.;:\u2019'\"")
        if is_verb(token) and w.start() > 0:
            end = w.start()
            break
    if end is None:  # no verb: the whole (short) phrase, e.g. the text right before a known verb
        end = words[min(len(words), 4 if len(words) > 10 else len(words)) - 1].end() if words else 0
    phrase = stripped[:end].rstrip()
    pron = re.search(rf",\s+({PRON})$", phrase)
    if pron:  # "Hours later, she issued …", "Following a shooting in X, Ore., she issued …": the pronoun
        return pron.group(1), lo + off + pron.start(1), lo + off + pron.end(1)
    comma = re.search(r"\s*[,\u2014\u2013(]", phrase)
    if comma and comma.start() > 0:
        phrase = phrase[: comma.start()]
    phrase = re.sub(rf"\s+{ADV}$", "", phrase + " ").rstrip() if phrase else phrase
    if not phrase or re.match(r"[a-z]+ing\b", phrase):  # "stripping out a call": a participle, no subject
        return None
    pm = re.fullmatch(PRON, phrase)
    if pm:
        return phrase, lo + off, lo + off + len(phrase)
    nm = name_at_end(phrase)
    if nm and (nm.start(1) > 0 or len(phrase.split()) == len(nm.group(1).split())):
        if nm.start(1) == 0 or not re.search(rf"\b{PREP}\s*$", phrase[: nm.start(1)]):
            return nm.group(1), lo + off + nm.start(1), lo + off + nm.end(1)
    om = re.search(rf"\s+(?:from|by|of|at)\s+(?:the\s+)?({NAME})", phrase)
    if om and speaker_kind(om.group(1)) == "organisation" and phrase[:1].islower() is False and phrase.split()[0].lower() in {
            "a", "an", "the"}:
        return om.group(1), lo + off + om.start(1), lo + off + om.end(1)  # "A report from the X Institute"
    lead = re.match(rf"(?:(?:[Tt]he|[Aa]n?)\s+)?({NAME})\s+[a-z]{{3,}}s\b", phrase)
    if lead and not is_noise(lead.group(1)) and (
            lead.start(1) > 0 or " " in lead.group(1) or named_in_text(text, lead.group(1))):
        # "The Daily News focuses on …": the name, then its verb; one capitalised word opening the
        # sentence is a name only if the text capitalises it elsewhere ("Senior officials" is no one)
        return lead.group(1), lo + off + lead.start(1), lo + off + lead.end(1)
    phrase = phrase if phrase[:1].isupper() and phrase.split()[0].lower() not in {"a", "an", "the"} else trim_np(phrase)
    if is_noise(phrase):
        return None
    return phrase, lo + off, lo + off + len(phrase)


def subject_before(text: str, end: int, lo: int) -> tuple[str, int, int] | None:
    """Subject of the verb starting at `end`: a name or pronoun right before it (apposition and
    adverbs allowed in between), else the subject of its clause."""
    seg_s = text[lo:end].rstrip()
    adv = re.search(rf"\s{ADV}$", " " + seg_s + " ")
    if adv and adv.group(0).strip():
        seg_s = seg_s[: max(0, len(seg_s) + 2 - len(adv.group(0)))].rstrip()
    # apposition: "X, a fellow at Y, said" / "X, manager of Y—a charity—argued"
    if seg_s.endswith((",", "\u2014", "\u2013")):
        body = seg_s[:-1]
        for cm in re.finditer(r",", body):
            appos = body[cm.end() :]
            if any(ch in appos for ch in QUOTE_MARKS) or len(appos) > 220:
                continue
            head = body[: cm.start()]
            hm = SUBJ_END.search(head)
            if hm and not is_noise(hm.group(1)):
                got = _pick_name(head, hm, lo, text)
                if got:
                    return got
    m = SUBJ_END.search(seg_s)
    if m and not is_noise(m.group(1)):
        got = _pick_name(seg_s, m, lo, text)
        if got:
            return got
    # the clause of this verb: from the last clause boundary before it
    bound = max((seg_s.rfind(x) for x in (";", ":", "\u2014", ". ")), default=-1)
    return clause_subject(text, lo + bound + 1, lo + len(seg_s)) if seg_s else None


def _pick_name(seg: str, m: re.Match, lo: int, text: str) -> tuple[str, int, int] | None:
    """A name found right before a verb, unless it is the object of a preposition or a lowercase
    phrase in the middle of a clause (then the clause subject is meant)."""
    phrase = m.group(1)
    before = seg[: m.start(1)]
    if is_pronoun(phrase):
        return phrase, lo + m.start(1), lo + m.end(1)
    nm = name_at_end(phrase)
    if nm is not None:
        start = m.start(1) + nm.start(1)
        head = seg[:start]
        if re.search(rf"\b{PREP}\s*$", head) and not re.search(r"(?:^|[,;:\u2014])\s*$", head):
            return None
        return nm.group(1), lo + start, lo + m.start(1) + nm.end(1)
    if before.strip() and not re.search(r"(?:[,;:\u2014]|\b(?:and|but|that))\s*$", before):
        return None
    np_ = trim_np(phrase)
    return np_, lo + m.start(1), lo + m.start(1) + len(np_)
