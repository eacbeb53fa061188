"""Speaker attribution: who says the words at `doc.text[start:end]`, by the conventions of news
writing (whether a claimed speaker is the same person: `names.same_speaker`).

Rules, in order (first that applies wins):

1. Quoted words: find the quotation (the span between quote marks) that holds them, then
   a. a cue right after it in the same sentence: ``“…,” he stated`` / ``“…,” said Nick Reynolds,
      a fellow`` / ``“…,” Reynolds, a fellow at RUSI, said`` / ``“…,” according to X``;
   b. a cue right before it: ``Reynolds remarked, “…”`` / ``X told reporters: “…”`` /
      ``…, saying, “…”`` (a participle: the subject of the main clause speaks) / ``X: “…”`` /
      ``According to X, “…”``;
   c. an uncued quotation continues the speech before it in the same paragraph, or — when its
      paragraph opens with a quotation — the last quotation of the previous paragraph;
   d. the subject of the sentence when the sentence has a speech verb before the quotation
      (``Japan branded North Korea an “outlaw nation”``).
2. Unquoted words (reported speech): a cue in the same sentence before them (``X said that …``),
   ``according to X``, or ``…, X said.`` after them.
3. Pronouns (he, she, they, it, we) resolve to the most recent speaker named as the subject of a
   speech verb in the previous sentences (up to 8), else to the first person-like name of the
   nearest previous sentence that has one. Surnames and titled names ("Mr. Obama") expand to the
   most recent full name in the document that ends with the same surname (`coref`).

Written here (not with spaCy/coreferee) because those need model downloads that fail offline,
and these patterns cover the reporting conventions that matter for verification.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from debatebot.core.text import SourceDocument
from debatebot.verify.speakers.coref import recent_speaker, resolve_mention
from debatebot.verify.speakers.cues import (
    ACCORDING_ANY,
    ADV,
    ANY_CUE,
    APPOS,
    CUE_FINITE,
    ING_CUE,
    POST_ACCORDING,
    POST_DASH,
    POST_INVERTED,
    POST_NORMAL,
    PRE_ACCORDING,
    PRE_COLON,
    PRE_CUE,
    PRE_VERB_COLON,
    PREP,
    QUOTE_MARKS,
    SUBJ,
    TAIL_CUE,
    is_verb,
    trim_np,
)
from debatebot.verify.speakers.names import (
    FUNCTION_CAPS,
    NAME,
    NAME_END,
    NAME_PARTICLES,
    ORG_WORDS,
    TITLES,
    SpeakerKind,
    clean_name,
    in_caps_heading,
    is_noise,
    is_place,
    is_pronoun,
    name_at_end,
    person_like,
    person_name,
    proper_name,
    role_first,
    speaker_kind,
    without_initial_noun,
)
from debatebot.verify.speakers.spans import enclosing, quote_intervals
from debatebot.verify.speakers.subjects import clause_subject, subject_before


class Attribution(BaseModel):
    speaker: str | None = None
    mention: str | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = None
    kind: SpeakerKind = "unknown"
    method: str = "none"


def _sentence_bounds(doc: SourceDocument, pos: int) -> tuple[int, int]:
    s = doc.sentence_at(pos)
    return (s.start, s.end) if s else (0, len(doc.text))


def _first_cue_subject(doc: SourceDocument, lo: int, hi: int) -> Attribution | None:
    """The first speech verb in text[lo:hi] (passives and infinitives skipped) and its subject;
    a participle ("…, saying") takes the subject of the verb before it."""
    text = doc.text
    for cm in ANY_CUE.finditer(text, lo, hi):
        if re.search(r"\b(?:been|be|being|is|was|were|are|to)\s+$", text[max(lo, cm.start() - 8) : cm.start()]):
            continue  # passive or infinitive: "has been called into question"
        if ING_CUE.match(cm.group(0)):
            subj = clause_subject(text, lo, cm.start())
        else:
            subj = subject_before(text, cm.start(), lo)
        if subj and not is_noise(subj[0]):
            return _att(doc, subj[0], subj[1], subj[2], cm.group(0), "sentence_cue")
        return None
    return None


def _person_right_before(text: str, pos: int, lo: int) -> tuple[str, int, int] | None:
    """A person's name immediately before a participle ("footage of Trump saying"): the one saying it."""
    seg = text[lo:pos].rstrip()
    m = NAME_END.search(seg)
    if m and m.end(1) == len(seg) and person_like(m.group(1)) and not is_pronoun(m.group(1)):
        return m.group(1), lo + m.start(1), lo + m.end(1)
    return None


def _cue_before(doc: SourceDocument, qa: int) -> Attribution | None:
    """A cue ending right before position qa (an opening quote)."""
    text = doc.text
    s0, _ = _sentence_bounds(doc, qa)
    lo = s0
    for a, b in quote_intervals(doc):  # do not look past an earlier quotation in the same sentence
        if lo < b <= qa:
            lo = b
        if a >= qa:
            break
    before = text[lo:qa]
    m = PRE_ACCORDING.search(before)
    if m:
        return _att(doc, m.group(1), lo + m.start(1), lo + m.end(1), "according to", "according_to_before")
    m = PRE_COLON.search(text[s0:qa]) if lo == s0 else None
    if m and not is_noise(m.group(1)):
        return _att(doc, m.group(1), s0 + m.start(1), s0 + m.end(1), ":", "colon")
    m = PRE_VERB_COLON.search(text[s0:qa]) if lo == s0 else None
    if m and not is_noise(m.group(1)) and is_verb(m.group(2)) and not is_pronoun(m.group(1)):
        return _att(doc, m.group(1), s0 + m.start(1), s0 + m.end(1), m.group(2), "verb_colon")
    m = None
    for cm in reversed(list(ANY_CUE.finditer(before))):  # the last speech verb close to the quote
        m = PRE_CUE.match(before, cm.start())
        if m:
            break
    if not m:
        return None
    cue = m.group(1)
    if ING_CUE.match(cue):
        nm = _person_right_before(text, lo + m.start(1), s0)
        if nm:
            return _att(doc, nm[0], nm[1], nm[2], cue, "participle_subject")
        first = _first_cue_subject(doc, s0, lo + m.start(1))
        if first and first.speaker:
            first.method = "participle_before"
            return first
        subj = clause_subject(text, s0, lo + m.start(1))
        method = "participle_before"
    else:
        subj = subject_before(text, lo + m.start(1), s0)
        method = "cue_before"
    if not subj:
        return None
    return _att(doc, subj[0], subj[1], subj[2], cue, method)


def _cue_after(doc: SourceDocument, qb: int) -> Attribution | None:
    """A cue right after position qb (a closing quote), in its sentence or, when the quotation
    ends a sentence (“…?” Graham asked.), in the next one."""
    text = doc.text
    nxt = qb
    while nxt < len(text) and text[nxt] in " \t":
        nxt += 1
    _, s1 = _sentence_bounds(doc, min(nxt, len(text) - 1)) if text else (0, 0)
    hi = min(len(text), max(s1, qb) + 1, qb + 300)
    nl = text.find("\n", qb, hi)
    if nl != -1 and text[qb:nl].strip():
        hi = nl
    for a, _ in quote_intervals(doc):
        if qb <= a < hi:
            hi = a
            break
    after = text[qb:hi]
    for rx, method in ((POST_ACCORDING, "according_to_after"), (POST_DASH, "dash_after"),
                       (POST_INVERTED, "cue_after_inverted"), (POST_NORMAL, "cue_after")):
        m = rx.match(after)
        if m and not is_noise(m.group(1)):
            mention, a = m.group(1), m.start(1)
            nm = name_at_end(mention) if not is_pronoun(mention) else None
            if nm is not None and nm.start(1) > 0:  # "Trump lawyer Marc Kasowitz" -> the name
                mention, a = nm.group(1), a + nm.start(1)
            elif nm is None and not is_pronoun(mention):
                mention = trim_np(mention)
            if method == "cue_after_inverted":
                role = re.match(rf"((?:[ \t\u00a0]+(?!{PREP}\b)[a-z][\w\-]*){{1,3}})[ \t\u00a0]+({NAME})",
                                after[a + len(mention):])
                if role and person_like(role.group(2)) and not any(is_verb(w) for w in role.group(1).split()):
                    a = a + len(mention) + role.start(2)  # "MSNBC host Chris Matthews" -> Chris Matthews
                    mention = role.group(2)
            cue = ANY_CUE.search(m.group(0))
            return _att(doc, mention, qb + a, qb + a + len(mention), cue.group(0) if cue else "according to", method)
    return None


_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")


def _att(doc: SourceDocument, mention: str, a: int, b: int, cue: str, method: str) -> Attribution:
    cut = max(mention.rfind(ch) for ch in QUOTE_MARKS)
    if cut >= 0:  # "You winning?” she": the speaker is after the quotation's closing mark
        a += cut + 1
        mention = mention[cut + 1 :]
    lead = len(mention) - len(mention.lstrip())
    a += lead
    mention = mention.strip()
    tail = re.match(r"\.?[ \t\u00a0]+[A-Z][\w'\u2019\-]+", doc.text[a + len(mention):]) if re.search(
        r"(?:^|\s)[A-Z]\.?$", mention) else None
    if tail:  # "William J" cut before its surname by the name pattern's length limit: "William J. Bennett"
        mention += tail.group(0)
        b = a + len(mention)
    if in_caps_heading(doc.text, a, a + len(mention)):
        return Attribution(mention=mention, mention_start=a, mention_end=b, cue=cue, method=method)
    speaker = resolve_mention(doc, mention, a)
    kind: SpeakerKind = speaker_kind(speaker) if speaker else "unknown"
    if kind == "person" and (_THE_BEFORE.search(doc.text[max(0, a - 4):a]) or re.match(r"[Tt]he\s", mention)):
        kind = "organisation"  # "the Harbour Accord states": a name written with "the" is no person
    return Attribution(speaker=speaker, mention=mention, mention_start=a, mention_end=b, cue=cue,
                       kind=kind, method=method)


def attribute(doc: SourceDocument, start: int, end: int) -> Attribution:
    """Who says the text at doc.text[start:end] (see the module docstring for the rules)."""
    start = max(0, min(start, len(doc.text)))
    end = max(start, min(end, len(doc.text)))
    iv = quote_intervals(doc)
    enc = enclosing(iv, start, end)
    if enc is not None:
        return _attribute_quotation(doc, iv, enc, depth=0) or Attribution()
    # reported speech / narration: "X said (that) …", "according to X, …", "…, X said."
    s0, s1 = _sentence_bounds(doc, start)
    att = _first_cue_subject(doc, s0, max(s0, min(end, s1)))
    if att and att.speaker:
        return att
    text = doc.text
    tail = text[end:s1]
    m = re.match(rf"^[\s,]*(?:{ADV})?({SUBJ}){APPOS}\s*{ADV}(?:{CUE_FINITE})\b", tail)
    if m and not is_noise(m.group(1)):
        return _att(doc, m.group(1), end + m.start(1), end + m.end(1), "said", "cue_after_reported")
    m = ACCORDING_ANY.search(text, s0, s1)
    if m:
        return _att(doc, m.group(1), m.start(1), m.end(1), "according to", "according_to")
    return Attribution()


def _sentence_subject(doc: SourceDocument, s0: int, qa: int) -> Attribution | None:
    """An uncued quotation inside a sentence ("Trump openly admires Putin as a “strong leader”"):
    the words are the sentence subject's, when that subject is a name (an apposition name after a
    role: "Another critic, Laurence H. Tribe, likened …") or a pronoun."""
    text = doc.text
    subj = clause_subject(text, s0, qa)
    if not subj:
        return None
    phrase, a, b = subj
    if role_first(phrase):
        ap = re.match(rf"\s*,\s*({NAME})\s*,", text[b:qa])
        if ap and person_like(ap.group(1)):
            phrase, a, b = ap.group(1), b + ap.start(1), b + ap.end(1)
    if not is_pronoun(phrase):
        name = clean_name(phrase)
        if not (person_like(name) or speaker_kind(name) == "organisation") or not proper_name(doc, name):
            return None  # "Innovations such as “non-persistent” mines": a sentence-initial noun, not a name
    return _att(doc, phrase, a, b, "", "sentence_subject")


def _modifier_only(doc: SourceDocument, word: str) -> bool:
    """Every time the document writes the word it stands before a lowercase noun ("the Baltic states",
    "Baltic countries", "Finnish leaders"): an adjective of place or origin, not a name. (A name is
    also written before a comma, a full stop, a possessive or a verb: "Reynolds said".)"""
    uses = [(m.group(1), m.group(2) or "") for m in re.finditer(rf"\b{re.escape(word)}\b(\S*)(?:\s+(\S+))?", doc.text)]
    if not uses or any(attached for attached, _ in uses):  # "Baltic," "Baltic's", "Baltic." somewhere: used alone
        return False
    words = [nxt.strip(",.;:!?\u201d\"'") for _, nxt in uses]
    if not all(w[:1].islower() for w in words):
        return False
    # the endings of adjectives of place or origin: a name written before lowercase words ("Obama later
    # adopted") is still a name
    return word.lower().endswith(("ic", "ish", "ese", "ian", "ean")) and any(
        not is_verb(w) and w not in FUNCTION_CAPS and w not in NAME_PARTICLES for w in words)


def shown_speaker(doc: SourceDocument, att: Attribution) -> str | None:
    """The speaker as a reader is shown it ("— Nick Reynolds"): a person or organisation that the text
    names, else None. Descriptions ("The study", "multiple sources", "Senior officials in Estonia",
    "the Wisconsin Republican"), sentence-initial common nouns ("Campaigners"), places ("Roseburg") and
    adjectives of origin ("Baltic", from "the Baltic states") are not shown; "A report from the X
    Institute" shows the institute."""
    name = att.speaker
    if not name or att.kind not in ("person", "organisation"):
        return None
    if att.mention_end is not None and att.mention and att.mention.split()[0].lower() in {"a", "an", "the"}:
        org = re.match(rf"\s+(?:from|by|of)\s+(?:the\s+)?({NAME})", doc.text[att.mention_end : att.mention_end + 120])
        if org and speaker_kind(org.group(1)) == "organisation":
            return clean_name(org.group(1))
    name = without_initial_noun(doc, person_name(name)) if att.kind == "person" else name
    words = name.split()
    if any(is_pronoun(w) for w in words):
        return None
    lower = [w for w in words if w[:1].islower() and w.lower() not in NAME_PARTICLES]
    if lower and (att.kind != "organisation" or not all(w.lower().strip(".,") in ORG_WORDS for w in lower)):
        return None
    if words[-1].strip(".,").lower() in TITLES:  # "Wisconsin Republican", "the Florida senator"
        return None
    if not proper_name(doc, name) or is_place(doc, name):
        return None
    if len(words) == 1 and _modifier_only(doc, words[0]):
        return None
    return name


def _attribute_quotation(doc: SourceDocument, iv: list[tuple[int, int]], enc: tuple[int, int],
                         depth: int) -> Attribution | None:
    qa, qb = enc
    text = doc.text
    s0, s1 = _sentence_bounds(doc, qa)
    lead = text[s0:qa].strip(" \u2018\u2019'(")
    order = (_cue_after, _cue_before) if not lead else (_cue_before, _cue_after)
    for fn in order:
        att = fn(doc, qb) if fn is _cue_after else fn(doc, qa)
        if att and att.speaker:
            return att
    # a speech verb earlier in the sentence ("Trump said … that Clinton called it “…”"): its subject
    if lead:
        att = _first_cue_subject(doc, s0, qa)
        if att and att.speaker:
            return att
    m = TAIL_CUE.search(text, qb, max(s1, qb))
    if m and not is_noise(m.group(1)):
        return _att(doc, m.group(1), m.start(1), m.end(1), "said", "cue_later_in_sentence")
    m = ACCORDING_ANY.search(text, s0, max(s1, qb))
    if m:
        return _att(doc, m.group(1), m.start(1), m.end(1), "according to", "according_to")
    if depth < 3:
        para = doc.paragraph_at(qa)
        prev = [x for x in iv if x[1] <= qa]
        if prev:
            p = prev[-1]
            same_para = doc.paragraph_at(p[0]) == para
            opens_para = not text[doc.paragraphs[para].start : qa].strip() if doc.paragraphs else False
            prev_para = doc.paragraph_at(p[0]) == para - 1
            if same_para or (opens_para and prev_para):
                att = _attribute_quotation(doc, iv, p, depth + 1)
                if att and att.speaker:
                    att.method = "continues_previous_quote"
                    return att
        nxt = [x for x in iv if x[0] >= qb]
        if nxt and doc.paragraph_at(nxt[0][0]) == doc.paragraph_at(qa):
            n0 = nxt[0]
            if not text[qb : n0[0]].strip(" ,.;:"):  # “A.” “B,” he said.
                att = _attribute_quotation(doc, iv, n0, depth + 1)
                if att and att.speaker:
                    return att
    if depth == 0 and lead:
        att = _sentence_subject(doc, s0, qa)
        if att and att.speaker:
            return att
    if depth == 0:
        # an uncued quotation: the speaker of the surrounding passage (same or previous paragraph)
        para = doc.paragraph_at(qa)
        first = doc.paragraphs[max(0, para - 1)].start if doc.paragraphs else 0
        sent = doc.sentence_at(qa)
        depth_s = sum(1 for x in doc.sentences[: sent.id] if x.start >= first) if sent else 0
        who = recent_speaker(doc, qa, depth=min(depth_s, 4))
        if who:
            return Attribution(speaker=who, kind=speaker_kind(who), method="passage_speaker")
    return None
