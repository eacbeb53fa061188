"""Speech cues: the speech verbs ("said", "saying", "according to"), and the patterns that find a cue
before or after a quotation, in a sentence or at its end; which words are verbs."""

from __future__ import annotations

import re

from debatebot.verify.speakers.names import NAME

CUE_FINITE = (
    "said|says|say|stated|states|argued|argues|remarked|remarks|asserted|asserts|told|tells|added|adds|noted|notes|"
    "wrote|writes|explained|explains|continued|continues|insisted|insists|claimed|claims|declared|declares|warned|"
    "warns|replied|replies|responded|responds|recalled|recalls|observed|observes|admitted|admits|acknowledged|"
    "acknowledges|announced|announces|tweeted|tweets|posted|posts|asked|asks|countered|counters|conceded|concedes|"
    "suggested|suggests|emphasized|emphasised|emphasizes|emphasises|stressed|stresses|urged|urges|cautioned|cautions|"
    "concluded|concludes|commented|comments|maintained|maintains|contended|contends|testified|predicted|predicts|"
    "promised|promises|vowed|vows|joked|jokes|quipped|quips|shouted|shouts|chanted|chant|exclaimed|blasted|charged|"
    "complained|complains|lamented|laments|boasted|boasts|reported|reports|reiterated|reiterates|underscored|echoed|"
    "mused|wondered|answered|agreed|agrees|disagreed|whispered|yelled|screamed|cried|sang|sings|called|calls|"
    "described|describes|describe|branded|dubbed|labeled|labelled|accused|criticized|criticised|praised|thundered|snapped|"
    "scoffed|fumed|condemned|condemns|denounced|denounces|confirmed|confirms|denied|denies|revealed|reveals|opined|proclaimed|demanded|pleaded|pledged|"
    "hinted|speculated|estimated|recommended|alleged|alleges|informed|advised|texted|emailed|read|reads|began|begins|"
    "pointed out|points out|went on|goes on|chimed in|put it|summed up"
)
_CUE_ING = (
    "saying|stating|adding|noting|arguing|writing|telling|asking|declaring|warning|explaining|insisting|claiming|"
    "calling|describing|urging|remarking|asserting|suggesting|stressing|emphasizing|emphasising|continuing|"
    "concluding|chanting|tweeting|posting|recalling|replying|responding|acknowledging|admitting|announcing|blasting|"
    "charging|complaining|joking|vowing|promising|predicting|accusing|reiterating|observing|countering|conceding|"
    "pointing out|proclaiming|demanding|pleading|confirming|denying|revealing|lamenting|boasting|cautioning"
)
ADV = (r"(?:(?:also|later|then|again|further|once|recently|previously|simply|separately|flatly|publicly|privately|"
       r"repeatedly|bluntly|frankly|often|usually|always|frequently|still|quickly|immediately|reportedly|initially|"
       r"first|finally|sometimes|just|even|has|had|have|would|will|could|might|did|does|do)\s+)*")
PRON = r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I)\b"
_LOWER_NP = (r"\b(?:[Tt]he|[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]everal|[Mm]any|[Ss]ome|[Oo]ther|[Aa]nother|[Hh]is|[Hh]er|"
             r"[Tt]heir|[Mm]y|[Oo]ur|[Yy]our|[Ii]ts)\s+(?:[\w'\u2019\-]+\s+){0,4}?[\w'\u2019\-]+")
PREP = (r"(?:in|on|at|during|with|to|from|after|before|by|for|of|about|when|while|that|this|last|than|as|and|but|"
        r"or|if|because|since|who|which|through|into|over|under|against|among|between|via|per)")
# descriptor words before a name: "Trump lawyer Marc Kasowitz", "9/11 widow Terry Strada"
_ROLE = rf"(?:(?!{PREP}\b)[^\s\u201c\u201d\",.;:]+\s+){{0,5}}?"
SUBJ = rf"(?:{_ROLE}{NAME}|{PRON}|{_LOWER_NP})"
APPOS = r"(?:\s*,\s*[^\u201c\u201d\"]{1,200}?\s*[,\u2014\u2013])?"
_LEADP = r"^[\s,.:;!?\u2019'\u2014\u2013\-]*"

QUOTE_MARKS = "\u201c\u201d\""
# After a closing quote mark: ", he said" / ", said X" / ", X, a fellow, said" / ", according to X" / " ― X"
POST_INVERTED = re.compile(rf"{_LEADP}(?:{CUE_FINITE})\s+({_ROLE}{NAME}|{_LOWER_NP})")
POST_NORMAL = re.compile(rf"{_LEADP}({SUBJ}){APPOS}\s*{ADV}(?:{CUE_FINITE})\b")
POST_ACCORDING = re.compile(rf"{_LEADP}according to\s+({_ROLE}{NAME}|{_LOWER_NP})", re.I)
POST_DASH = re.compile(rf"^\s*[\u2015\u2014\u2013]\s*({NAME})")
# Before an opening quote mark
PRE_CUE = re.compile(rf"\b({CUE_FINITE}|{_CUE_ING})\b(?:\s+[^\s{QUOTE_MARKS}]+){{0,8}}?\s*[,:]?\s*$")
PRE_COLON = re.compile(rf"(?:^|[.!?]\s+)({NAME})\s*:\s*$")
# "X scolded him: “…”", "X told reporters: “…”": a name, one verb (and its object), a colon
PRE_VERB_COLON = re.compile(rf"(?:^|[.!?]\s+)({NAME})\s+([a-z]+)(?:\s+(?:him|her|them|us|me|it|reporters|"
                            rf"(?:the|a|an|his|her|their)\s+[a-z]+))?\s*:\s*$")
PRE_ACCORDING = re.compile(rf"according to\s+({NAME}|{_LOWER_NP})\s*,?\s*$", re.I)
ACCORDING_ANY = re.compile(rf"\baccording to\s+({_ROLE}{NAME}|{_LOWER_NP})", re.I)
TAIL_CUE = re.compile(rf",\s*({SUBJ}){APPOS}\s*{ADV}(?:{CUE_FINITE})\b[^,\u201c\u201d\"]{{0,80}}[.!?]?$")
ING_CUE = re.compile(rf"^(?:{_CUE_ING})$")
ANY_CUE = re.compile(rf"\b(?:{CUE_FINITE}|{_CUE_ING})\b")
CUE_RE = re.compile(rf"\b(?:{CUE_FINITE}|{_CUE_ING}|according to)\b", re.I)
SUBJ_END = re.compile(rf"({SUBJ})\s*$")
_OPENERS = (r"(?:In|On|At|After|Before|During|Following|Since|While|When|As|Though|Although|Despite|Speaking|"
            r"Asked|Earlier|Later|Last|This|Meanwhile|However|Still|Yet|But|And|So|Instead|Separately|Similarly|"
            r"Also|Then|Now|Today|Yesterday|Tonight|Overall|Indeed|Moreover|Furthermore|Nevertheless|Afterward|"
            r"Afterwards|Previously|Recently|Back|Over|Under|Within|Without|From|For|With|By|Unlike|Like|Once|If)")
LEAD_ADVERBIAL = re.compile(rf"^(?:{_OPENERS}\b[^\u201c\u201d\"]{{0,120}}?,\s+)")
_AUX = (r"is|are|was|were|has|have|had|will|would|can|could|should|may|might|must|did|does|do|took|went|made|gave|"
        r"got|came|saw|knew|thought|felt|left|met|won|lost|sent|kept|held|brought|became|spoke|chose|led|paid|put|"
        r"set|let|stood|sat|fell|drew|grew|threw|broke|rose|drove|struck|fought|sought|bought|caught|taught|issued|"
        r"chimed|wants|needs|thinks|believes|knows|seems|appears|remains|continues|plans|hopes|urges|faces|takes|"
        r"makes|gives|gets|comes|goes|sees|uses|tries|condemned|condemns|unveiled|released|pushed|vowed")
_VERBISH = re.compile(rf"^(?:{_AUX}|{CUE_FINITE}|[a-z][a-z\-]+ed)$")
_NOT_VERB_ED = {"red", "bed", "need", "speed", "seed", "feed", "shed", "led", "wed", "hundred", "indeed", "embed",
                "armed", "based", "concerned", "related", "united", "elected", "retired", "noted", "unnamed",
                "unidentified", "alleged", "registered", "renewed", "detailed", "limited", "advanced", "skilled"}


_NP_STOP = re.compile(r"\s+(?:from|of|at|in|on|for|with|that|who|which|whose|to|and|by|as|is|was|were|are|has|had|"
                      rf"have|will|would|also|later|then|again|{CUE_FINITE})\b.*$", re.S)


def trim_np(np_: str) -> str:
    """'A recent report from X' -> 'A recent report'; 'the mayor also' -> 'the mayor'."""
    return _NP_STOP.sub("", np_)


def is_verb(word: str) -> bool:
    w = word.lower()
    if _VERBISH.match(w) is None:
        return False
    return not (w.endswith("ed") and w in _NOT_VERB_ED and not re.fullmatch(CUE_FINITE, w))
