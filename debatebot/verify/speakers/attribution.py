"""Speaker attribution: who says the words at `doc.text[start:end]`, by the conventions of news
writing, and whether a claimed speaker is the same person.

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
   most recent full name in the document that ends with the same surname.

Written here (not with spaCy/coreferee) because those need model downloads that fail offline,
and these patterns cover the reporting conventions that matter for verification.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Literal

from pydantic import BaseModel

from debatebot.core.text import SourceDocument

# ---------------------------------------------------------------------------------------------
# Vocabulary
# ---------------------------------------------------------------------------------------------
_CUE_FINITE = (
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
_ADV = (r"(?:(?:also|later|then|again|further|once|recently|previously|simply|separately|flatly|publicly|privately|"
        r"repeatedly|bluntly|frankly|often|usually|always|frequently|still|quickly|immediately|reportedly|initially|"
        r"first|finally|sometimes|just|even|has|had|have|would|will|could|might|did|does|do)\s+)*")
_TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sen", "senator", "rep", "representative", "gov", "governor",
    "gen", "general", "lt", "col", "colonel", "capt", "captain", "sgt", "rev", "reverend", "st", "adm", "admiral",
    "maj", "major", "cmdr", "pres", "president", "hon", "sir", "dame", "lord", "lady", "retired", "ret", "former",
    "speaker", "house", "secretary", "minister", "prime", "chancellor", "judge", "justice", "mayor", "vice",
    "chairman", "chairwoman", "chair", "director", "ambassador", "attorney", "sheriff", "officer", "chief", "the",
    "father", "sister", "brother", "pope", "king", "queen", "prince", "princess", "deputy", "assistant", "lieutenant",
    "sergeant", "commander", "candidate", "nominee", "democratic", "republican", "u.s", "us", "state", "rabbi",
    "imam", "pastor", "coach", "delegate", "del", "mrs.", "mr.", "dr.", "jr", "sr", "ii", "iii", "iv",
}
_ORG_WORDS = {  # nouns that make a name an organisation (generic words only: no outlet or country names)
    "group", "office", "institute", "university", "council", "party",
    "committee", "department", "ministry", "association", "union", "court", "senate", "congress", "fund", "bank",
    "agency", "service", "services", "times", "post", "news", "organization", "organisation", "foundation",
    "international", "campaign", "administration", "forces", "army", "navy", "command", "coalition", "alliance",
    "commission", "center", "centre", "company", "corporation", "corp", "inc", "ltd", "board", "network", "journal",
    "magazine", "press", "government", "parliament", "police", "church", "school",
    "college", "federation", "authority", "bureau", "club", "team", "trust", "society", "institution", "house",
    "watch", "project", "initiative", "programme", "program", "report", "study",
    "tribune", "herald", "guardian", "telegraph", "states", "nations", "republic", "kingdom", "city", "county",
}
# lowercase words inside a name ("Ana de Armas", "Minister for Defence"): the rest mark a description
_NAME_PARTICLES = {"de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "do", "dos", "das",
                   "ter", "ten", "zu", "op", "e", "bin", "ibn", "al", "el", "of", "for", "and", "the", "y"}
_FUNCTION_CAPS = {
    "the", "a", "an", "however", "in", "on", "at", "this", "that", "these", "those", "it", "he", "she", "they",
    "we", "i", "but", "and", "or", "if", "while", "as", "after", "before", "when", "such", "other", "any", "some",
    "many", "most", "his", "her", "their", "our", "its", "with", "for", "from", "by", "of", "to", "so", "yet", "even",
    "still", "then", "there", "here", "what", "who", "why", "how", "where", "one", "all", "both", "each", "no", "not",
    "also", "according", "meanwhile", "instead", "since", "because", "although", "though", "thus", "last", "next",
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january", "february", "march",
    "april", "may", "june", "july", "august", "september", "october", "november", "december", "yes", "now", "just",
    "is", "are", "was", "were", "does", "did", "has", "have", "had", "will", "would", "can", "could", "should",
    "nothing", "none", "whether",
}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "him", "her", "them", "us", "me"}

_ABBR = (r"(?:Mr|Mrs|Ms|Dr|Prof|Sen|Sens|Rep|Reps|Gov|Gen|Lt|Col|Capt|Sgt|Rev|St|Jr|Sr|Adm|Maj|Cmdr|Ft|Mt|Pres|"
         r"Hon|Gens|Del|Supt|Insp)\.")
# a capitalised word, an initial ("A."), a title ("Dr.") or a dotted acronym ("U.S."); never a
# sentence-final "Hester." followed by the next sentence
_CAP = rf"(?:{_ABBR}|(?:[A-Z]\.){{2,}}|[A-Z]\.(?=[ \t\u00a0]+[A-Z])|[A-Z][\w'\u2019\-]*)"
_CONNECT = r"(?:de|da|van|von|der|del|la|le|bin|al|of|for|the|on)"
_SP = r"[ \t\u00a0]+"
NAME = rf"{_CAP}(?:{_SP}(?:{_CONNECT}{_SP}){{0,2}}{_CAP}){{0,6}}(?:[ \t\u00a0]*\([^()]{{1,40}}\))?"
_PRON = r"\b(?:[Hh]e|[Ss]he|[Tt]hey|[Ii]t|[Ww]e|I)\b"
_LOWER_NP = (r"\b(?:[Tt]he|[Aa]n?|[Oo]ne|[Tt]wo|[Tt]hree|[Ss]everal|[Mm]any|[Ss]ome|[Oo]ther|[Aa]nother|[Hh]is|[Hh]er|"
             r"[Tt]heir|[Mm]y|[Oo]ur|[Yy]our|[Ii]ts)\s+(?:[\w'\u2019\-]+\s+){0,4}?[\w'\u2019\-]+")
_PREP = (r"(?:in|on|at|during|with|to|from|after|before|by|for|of|about|when|while|that|this|last|than|as|and|but|"
         r"or|if|because|since|who|which|through|into|over|under|against|among|between|via|per)")
# descriptor words before a name: "Trump lawyer Marc Kasowitz", "9/11 widow Terry Strada"
_ROLE = rf"(?:(?!{_PREP}\b)[^\s\u201c\u201d\",.;:]+\s+){{0,5}}?"
_SUBJ = rf"(?:{_ROLE}{NAME}|{_PRON}|{_LOWER_NP})"
_APPOS = r"(?:\s*,\s*[^\u201c\u201d\"]{1,200}?\s*[,\u2014\u2013])?"
_LEADP = r"^[\s,.:;!?\u2019'\u2014\u2013\-]*"

_Q = "\u201c\u201d\""
# After a closing quote mark: ", he said" / ", said X" / ", X, a fellow, said" / ", according to X" / " ― X"
_POST_INVERTED = re.compile(rf"{_LEADP}(?:{_CUE_FINITE})\s+({_ROLE}{NAME}|{_LOWER_NP})")
_POST_NORMAL = re.compile(rf"{_LEADP}({_SUBJ}){_APPOS}\s*{_ADV}(?:{_CUE_FINITE})\b")
_POST_ACCORDING = re.compile(rf"{_LEADP}according to\s+({_ROLE}{NAME}|{_LOWER_NP})", re.I)
_POST_DASH = re.compile(rf"^\s*[\u2015\u2014\u2013]\s*({NAME})")
# Before an opening quote mark
_PRE_CUE = re.compile(rf"\b({_CUE_FINITE}|{_CUE_ING})\b(?:\s+[^\s{_Q}]+){{0,8}}?\s*[,:]?\s*$")
_PRE_COLON = re.compile(rf"(?:^|[.!?]\s+)({NAME})\s*:\s*$")
# "X scolded him: “…”", "X told reporters: “…”": a name, one verb (and its object), a colon
_PRE_VERB_COLON = re.compile(rf"(?:^|[.!?]\s+)({NAME})\s+([a-z]+)(?:\s+(?:him|her|them|us|me|it|reporters|"
                             rf"(?:the|a|an|his|her|their)\s+[a-z]+))?\s*:\s*$")
_PRE_ACCORDING = re.compile(rf"according to\s+({NAME}|{_LOWER_NP})\s*,?\s*$", re.I)
_ACCORDING_ANY = re.compile(rf"\baccording to\s+({_ROLE}{NAME}|{_LOWER_NP})", re.I)
_TAIL_CUE = re.compile(rf",\s*({_SUBJ}){_APPOS}\s*{_ADV}(?:{_CUE_FINITE})\b[^,\u201c\u201d\"]{{0,80}}[.!?]?$")
_ING = re.compile(rf"^(?:{_CUE_ING})$")
_ANY_CUE = re.compile(rf"\b(?:{_CUE_FINITE}|{_CUE_ING})\b")
CUE_RE = re.compile(rf"\b(?:{_CUE_FINITE}|{_CUE_ING}|according to)\b", re.I)
_SUBJ_END = re.compile(rf"({_SUBJ})\s*$")
_NAME_END = re.compile(rf"({NAME})\s*$")
_NAME_ANY = re.compile(NAME)
_OPENERS = (r"(?:In|On|At|After|Before|During|Following|Since|While|When|As|Though|Although|Despite|Speaking|"
            r"Asked|Earlier|Later|Last|This|Meanwhile|However|Still|Yet|But|And|So|Instead|Separately|Similarly|"
            r"Also|Then|Now|Today|Yesterday|Tonight|Overall|Indeed|Moreover|Furthermore|Nevertheless|Afterward|"
            r"Afterwards|Previously|Recently|Back|Over|Under|Within|Without|From|For|With|By|Unlike|Like|Once|If)")
_LEAD_ADVERBIAL = re.compile(rf"^(?:{_OPENERS}\b[^\u201c\u201d\"]{{0,120}}?,\s+)")
_AUX = (r"is|are|was|were|has|have|had|will|would|can|could|should|may|might|must|did|does|do|took|went|made|gave|"
        r"got|came|saw|knew|thought|felt|left|met|won|lost|sent|kept|held|brought|became|spoke|chose|led|paid|put|"
        r"set|let|stood|sat|fell|drew|grew|threw|broke|rose|drove|struck|fought|sought|bought|caught|taught|issued|"
        r"chimed|wants|needs|thinks|believes|knows|seems|appears|remains|continues|plans|hopes|urges|faces|takes|"
        r"makes|gives|gets|comes|goes|sees|uses|tries|condemned|condemns|unveiled|released|pushed|vowed")
_VERBISH = re.compile(rf"^(?:{_AUX}|{_CUE_FINITE}|[a-z][a-z\-]+ed)$")
_NOT_VERB_ED = {"red", "bed", "need", "speed", "seed", "feed", "shed", "led", "wed", "hundred", "indeed", "embed",
                "armed", "based", "concerned", "related", "united", "elected", "retired", "noted", "unnamed",
                "unidentified", "alleged", "registered", "renewed", "detailed", "limited", "advanced", "skilled"}


SpeakerKind = Literal["person", "organisation", "other", "unknown"]


class Attribution(BaseModel):
    speaker: str | None = None
    mention: str | None = None
    mention_start: int | None = None
    mention_end: int | None = None
    cue: str | None = None
    kind: SpeakerKind = "unknown"
    method: str = "none"


# ---------------------------------------------------------------------------------------------
# Quotation marks
# ---------------------------------------------------------------------------------------------
_QCACHE: OrderedDict[tuple[str, str], list[tuple[int, int]]] = OrderedDict()


def quote_intervals(doc: SourceDocument) -> list[tuple[int, int]]:
    """[start, end) of every quotation in the document, quote marks included.

    Curly marks open/close, straight double quotes toggle; a quotation still open at the end of
    its paragraph runs to the paragraph end (the news convention for speech over paragraphs)."""
    key = (doc.doc_id, doc.sha256)
    hit = _QCACHE.get(key)
    if hit is not None:
        return hit
    text = doc.text
    out: list[tuple[int, int]] = []
    for p in doc.paragraphs or []:
        open_at: int | None = None
        depth = 0  # nested curly quotations: “… “hell” …”
        for m in re.finditer(r"[\u201c\u201d\"]", text[p.start : p.end]):
            pos = p.start + m.start()
            ch = m.group()
            left_flanking = (pos + 1 < len(text) and text[pos + 1].isalnum()
                             and (pos == 0 or text[pos - 1].isspace() or pos == p.start))
            if ch == "\u201c" or (ch == '"' and open_at is None) or (ch == "\u201d" and open_at is None and left_flanking):
                if open_at is None:
                    open_at, depth = pos, 1
                elif ch == "\u201c":
                    depth += 1
            elif open_at is not None and ch == "\u201d" and depth > 1:
                depth -= 1
            elif open_at is not None:
                out.append((open_at, pos + 1))
                open_at, depth = None, 0
            elif not out or out[-1][1] <= p.start:  # closing mark with no opening: paragraph continues a quote
                out.append((p.start, pos + 1))
        if open_at is not None:
            out.append((open_at, p.end))
    out.sort()
    _QCACHE[key] = out
    if len(_QCACHE) > 4096:
        _QCACHE.popitem(last=False)
    return out


def _enclosing(iv: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    for a, b in iv:
        if a <= start < b or (start <= a < end):
            return a, b
        if a > end:
            break
    return None


# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------
def _name_tokens(name: str) -> list[str]:
    name = re.sub(r"\([^)]*\)", " ", name)
    name = name.split(",")[0]
    toks = [t.strip(".'\u2019").lower() for t in re.split(r"[\s\u00a0]+", name) if t.strip(".")]
    toks = [t[:-2] if t.endswith(("'s", "\u2019s")) else t for t in toks]
    return [t for t in toks if t]


def _core(name: str) -> list[str]:
    """Name tokens without titles; when the phrase holds several capitalised runs (e.g. "Clinton's
    campaign manager Robby Mook"), the last run."""
    parts = [x.strip() for x in re.sub(r"\([^)]*\)", " ", name).split(",") if x.strip()]
    clean = parts[0] if parts else ""
    if len(parts) > 1 and _role_first(parts[0]) and _person_like(parts[1]) and len(_name_tokens(parts[1])) >= 2:
        clean = parts[1]  # "Another critic, Laurence H. Tribe," -> the apposition is the name
    at = re.match(rf"({_CAP}(?:\s+{_CAP})+)\s+(?:of|from|at|for|in|on)\s", clean)
    if at and _kind(clean) == "person":
        clean = at.group(1)  # "Del. Stacey Plaskett of the Virgin Islands": the name ends before "of"
    words = clean.split()
    own = [i for i, w in enumerate(words[:-1]) if w.endswith(("'s", "\u2019s"))]
    if own:  # "Amnesty's Patrick Wilcken", "Clinton's adviser Robby Mook": the name after the possessive
        clean = " ".join(words[own[-1] + 1 :])
    runs = re.findall(rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)?{_CAP})*", clean)
    if len(runs) > 1:
        clean = runs[-1]
    toks = [t for t in _name_tokens(clean) if t not in _TITLES]
    return toks or _name_tokens(clean)


def _role_first(phrase: str) -> bool:
    """The phrase opens with a possessive or determiner, so a name after its comma is who is meant:
    "His former partner at Lenox, Lawrence B. Cummings", "Another critic, Laurence H. Tribe"."""
    first = phrase.split(" ")[0] if phrase else ""
    return (first.endswith(("'s", "\u2019s")) or first.lower() in _FUNCTION_CAPS
            or first.lower() in {"another", "former", "fellow"})


def _is_pronoun(s: str) -> bool:
    return s.strip().lower() in PRONOUNS


def _kind(name: str) -> SpeakerKind:
    toks = _name_tokens(name)
    if not toks:
        return "unknown"
    if any(t in _ORG_WORDS for t in toks) or name.isupper():
        return "organisation"
    if name[:1].islower() or toks[0] in {"the", "a", "an"}:
        return "other"
    words = name.split()
    if len(words) > 1 and words[1][:1].islower() and words[1].lower() not in _NAME_PARTICLES:
        return "other"  # a description opening a sentence ("Senior officials in X"), not a name
    return "person"


def _person_like(name: str) -> bool:
    toks = [t for t in _name_tokens(name) if t not in _FUNCTION_CAPS]
    return (bool(toks) and _kind(name) == "person" and toks[0] not in _FUNCTION_CAPS
            and any(t not in _TITLES for t in toks))  # a title alone ("Republican") names no one


def _clean(name: str) -> str:
    """Whitespace, possessive and leading capitalised function words ("The UK Foreign Office")
    removed; lowercase noun phrases ("the spokesman") are kept as written."""
    name = re.sub(r"\s+", " ", name).strip(" ,.:;\u2014\u2013-")
    name = re.sub(r"(?:'s|\u2019s)$", "", name)
    name = re.sub(r"(?:\s+(?:and|or|but|of|for|on|at|the|with|[a-z]+ly))+$", "", name)  # "Trump and", "X openly"
    words = name.split(" ")
    while len(words) > 1 and words[0].lower() in _FUNCTION_CAPS and words[1][:1].isupper():
        words = words[1:]
    return " ".join(words)


# title words after which a person's name follows ("Florida Sen. Marco Rubio"): what stands before them is a
# description (a state, a party, "Former"), not part of the name; name suffixes and "the" are no such words
_TITLE_BREAK = _TITLES - {"jr", "sr", "ii", "iii", "iv", "the", "state", "u.s", "us", "retired", "ret", "former"}


def person_name(name: str) -> str:
    """A person's name without the description or title before it: "Florida Sen. Marco Rubio" ->
    "Marco Rubio", "Former Florida Gov. Jeb Bush" -> "Jeb Bush", "House Speaker Paul Ryan" -> "Paul Ryan",
    "Ronald Reagan's former education secretary William J. Bennett" -> "William J. Bennett". Unchanged when
    no name follows the description ("Sen. Rubio" keeps "Rubio" only: a surname is a name)."""
    words = name.split(" ")
    if "and" in words or "&" in words:  # "Obama and Vice President Joe Biden": two people, kept as written
        return name
    own = [i for i, w in enumerate(words[:-1]) if w.endswith(("'s", "\u2019s"))]
    if own:
        rest = words[own[-1] + 1 :]
        lower = [i for i, w in enumerate(rest) if w[:1].islower() and w not in _NAME_PARTICLES]
        if lower and lower[-1] + 1 < len(rest):
            rest = rest[lower[-1] + 1 :]
        if rest and all(w[:1].isupper() for w in rest):
            words = rest
    cut = max((i for i, w in enumerate(words[:-1]) if w.strip(".,").lower() in _TITLE_BREAK), default=-1)
    rest = words[cut + 1 :]
    at = next((i for i, w in enumerate(rest) if w in ("of", "from")), len(rest))
    if cut >= 0 and at >= 2 and all(w[:1].isupper() for w in rest[:at]):
        words = rest[:at]  # "Senator John Cornyn of Texas" -> "John Cornyn"
    return " ".join(words)


def same_speaker(claimed: str, actual: str) -> bool:
    """True if two references name the same speaker: case-insensitive; titles (Dr., Mr., Prof.,
    Sen., …) and appositions stripped; a surname alone matches the full name; two full names must
    agree on first name (or initial) and surname; organisations match on word-set containment."""
    if not claimed or not actual:
        return False
    c, a = _core(claimed), _core(actual)
    if not c or not a:
        return False
    if _is_pronoun(" ".join(c)) or _is_pronoun(" ".join(a)):
        return False
    if c == a:
        return True
    if _cut_short(claimed, actual) or _cut_short(actual, claimed):
        return True
    cs, as_ = set(c), set(a)
    if {"organisation", "other"} & {_kind(claimed), _kind(actual)}:
        small, big = (cs, as_) if len(cs) <= len(as_) else (as_, cs)
        content = {t for t in small if t not in _FUNCTION_CAPS}
        return bool(content) and content <= big
    if c[-1] != a[-1]:
        return False
    if len(c) == 1 or len(a) == 1:
        return True
    f1, f2 = c[0], a[0]
    return f1 == f2 or (len(f1) == 1 and f2.startswith(f1)) or (len(f2) == 1 and f1.startswith(f2))


def _cut_short(short: str, long: str) -> bool:
    """`short` is `long` without its tail: "Protesters" / "Protesters marching through the streets",
    "Cameron Easley" / "Cameron Easley for Morning Consult", "Officials at Homeland Security" /
    "Officials at Homeland Security Investigations". The tail must start with a lowercase word (a
    modifier, not another name) unless the shared part is already three words long."""
    s_toks, l_toks = _name_tokens(_clean(short)), _name_tokens(_clean(long))
    content = [t for t in s_toks if t not in _FUNCTION_CAPS and t not in _TITLES]
    if not content or len(s_toks) >= len(l_toks) or l_toks[: len(s_toks)] != s_toks:
        return False
    words = re.sub(r"\([^)]*\)", " ", _clean(long)).split(",")[0].split()
    nxt = words[len(s_toks)] if len(words) > len(s_toks) else ""
    return nxt[:1].islower() or len(s_toks) >= 3


# ---------------------------------------------------------------------------------------------
# Attribution
# ---------------------------------------------------------------------------------------------
def _sentence_bounds(doc: SourceDocument, pos: int) -> tuple[int, int]:
    s = doc.sentence_at(pos)
    return (s.start, s.end) if s else (0, len(doc.text))


def _is_noise(name: str) -> bool:
    if _is_pronoun(name):
        return False
    toks = _name_tokens(name)
    return not toks or all(t in _FUNCTION_CAPS for t in toks)


_NP_STOP = re.compile(r"\s+(?:from|of|at|in|on|for|with|that|who|which|whose|to|and|by|as|is|was|were|are|has|had|"
                      rf"have|will|would|also|later|then|again|{_CUE_FINITE})\b.*$", re.S)


def _trim_np(np_: str) -> str:
    """'A recent report from X' -> 'A recent report'; 'the mayor also' -> 'the mayor'."""
    return _NP_STOP.sub("", np_)


def _is_verb(word: str) -> bool:
    w = word.lower()
    if _VERBISH.match(w) is None:
        return False
    return not (w.endswith("ed") and w in _NOT_VERB_ED and not re.fullmatch(_CUE_FINITE, w))


def _name_at_end(phrase: str) -> re.Match | None:
    m = _NAME_END.search(phrase)
    return m if m and not _is_noise(m.group(1)) else None


def _clause_subject(text: str, lo: int, hi: int) -> tuple[str, int, int] | None:
    """Subject of the clause text[lo:hi]: the words before its first verb (a leading adverbial
    phrase skipped, an apposition cut off); a name ending that phrase is preferred."""
    seg = text[lo:hi]
    off = 0
    m = _LEAD_ADVERBIAL.match(seg)
    if m:
        off = m.end()
    rest = seg[off:]
    stripped = rest.lstrip(_Q + "\u2018\u2019'( ")
    off += len(rest) - len(stripped)
    words = list(re.finditer(r"[^\s]+", stripped))
    end = None
    for w in words[:14]:
        token = w.group().strip(",.;:\u2019'\"")
        if _is_verb(token) and w.start() > 0:
            end = w.start()
            break
    if end is None:  # no verb: the whole (short) phrase, e.g. the text right before a known verb
        end = words[min(len(words), 4 if len(words) > 10 else len(words)) - 1].end() if words else 0
    phrase = stripped[:end].rstrip()
    pron = re.search(rf",\s+({_PRON})$", phrase)
    if pron:  # "Hours later, she issued …", "Following a shooting in X, Ore., she issued …": the pronoun
        return pron.group(1), lo + off + pron.start(1), lo + off + pron.end(1)
    comma = re.search(r"\s*[,\u2014\u2013(]", phrase)
    if comma and comma.start() > 0:
        phrase = phrase[: comma.start()]
    phrase = re.sub(rf"\s+{_ADV}$", "", phrase + " ").rstrip() if phrase else phrase
    if not phrase or re.match(r"[a-z]+ing\b", phrase):  # "stripping out a call": a participle, no subject
        return None
    pm = re.fullmatch(_PRON, phrase)
    if pm:
        return phrase, lo + off, lo + off + len(phrase)
    nm = _name_at_end(phrase)
    if nm and (nm.start(1) > 0 or len(phrase.split()) == len(nm.group(1).split())):
        if nm.start(1) == 0 or not re.search(rf"\b{_PREP}\s*$", phrase[: nm.start(1)]):
            return nm.group(1), lo + off + nm.start(1), lo + off + nm.end(1)
    om = re.search(rf"\s+(?:from|by|of|at)\s+(?:the\s+)?({NAME})", phrase)
    if om and _kind(om.group(1)) == "organisation" and phrase[:1].islower() is False and phrase.split()[0].lower() in {
            "a", "an", "the"}:
        return om.group(1), lo + off + om.start(1), lo + off + om.end(1)  # "A report from the X Institute"
    lead = re.match(rf"(?:(?:[Tt]he|[Aa]n?)\s+)?({NAME})\s+[a-z]{{3,}}s\b", phrase)
    if lead and not _is_noise(lead.group(1)) and (
            lead.start(1) > 0 or " " in lead.group(1) or _capitalised_mid_sentence(text, lead.group(1))):
        # "The Daily News focuses on …": the name, then its verb; one capitalised word opening the
        # sentence is a name only if the text capitalises it elsewhere ("Senior officials" is no one)
        return lead.group(1), lo + off + lead.start(1), lo + off + lead.end(1)
    phrase = phrase if phrase[:1].isupper() and not phrase.split()[0].lower() in {"a", "an", "the"} else _trim_np(phrase)
    if _is_noise(phrase):
        return None
    return phrase, lo + off, lo + off + len(phrase)


def _subject_before(text: str, end: int, lo: int) -> tuple[str, int, int] | None:
    """Subject of the verb starting at `end`: a name or pronoun right before it (apposition and
    adverbs allowed in between), else the subject of its clause."""
    seg_s = text[lo:end].rstrip()
    adv = re.search(rf"\s{_ADV}$", " " + seg_s + " ")
    if adv and adv.group(0).strip():
        seg_s = seg_s[: max(0, len(seg_s) + 2 - len(adv.group(0)))].rstrip()
    # apposition: "X, a fellow at Y, said" / "X, manager of Y—a charity—argued"
    if seg_s.endswith((",", "\u2014", "\u2013")):
        body = seg_s[:-1]
        for cm in re.finditer(r",", body):
            appos = body[cm.end() :]
            if any(ch in appos for ch in _Q) or len(appos) > 220:
                continue
            head = body[: cm.start()]
            hm = _SUBJ_END.search(head)
            if hm and not _is_noise(hm.group(1)):
                got = _pick_name(head, hm, lo, text)
                if got:
                    return got
    m = _SUBJ_END.search(seg_s)
    if m and not _is_noise(m.group(1)):
        got = _pick_name(seg_s, m, lo, text)
        if got:
            return got
    # the clause of this verb: from the last clause boundary before it
    bound = max((seg_s.rfind(x) for x in (";", ":", "\u2014", ". ")), default=-1)
    return _clause_subject(text, lo + bound + 1, lo + len(seg_s)) if seg_s else None


def _pick_name(seg: str, m: re.Match, lo: int, text: str) -> tuple[str, int, int] | None:
    """A name found right before a verb, unless it is the object of a preposition or a lowercase
    phrase in the middle of a clause (then the clause subject is meant)."""
    phrase = m.group(1)
    before = seg[: m.start(1)]
    if _is_pronoun(phrase):
        return phrase, lo + m.start(1), lo + m.end(1)
    nm = _name_at_end(phrase)
    if nm is not None:
        start = m.start(1) + nm.start(1)
        head = seg[:start]
        if re.search(rf"\b{_PREP}\s*$", head) and not re.search(r"(?:^|[,;:\u2014])\s*$", head):
            return None
        return nm.group(1), lo + start, lo + m.start(1) + nm.end(1)
    if before.strip() and not re.search(r"(?:[,;:\u2014]|\b(?:and|but|that))\s*$", before):
        return None
    np_ = _trim_np(phrase)
    return np_, lo + m.start(1), lo + m.start(1) + len(np_)


def _first_cue_subject(doc: SourceDocument, lo: int, hi: int) -> Attribution | None:
    """The first speech verb in text[lo:hi] (passives and infinitives skipped) and its subject;
    a participle ("…, saying") takes the subject of the verb before it."""
    text = doc.text
    for cm in _ANY_CUE.finditer(text, lo, hi):
        if re.search(r"\b(?:been|be|being|is|was|were|are|to)\s+$", text[max(lo, cm.start() - 8) : cm.start()]):
            continue  # passive or infinitive: "has been called into question"
        if _ING.match(cm.group(0)):
            subj = _clause_subject(text, lo, cm.start())
        else:
            subj = _subject_before(text, cm.start(), lo)
        if subj and not _is_noise(subj[0]):
            return _att(doc, subj[0], subj[1], subj[2], cm.group(0), "sentence_cue")
        return None
    return None


def _person_right_before(text: str, pos: int, lo: int) -> tuple[str, int, int] | None:
    """A person's name immediately before a participle ("footage of Trump saying"): the one saying it."""
    seg = text[lo:pos].rstrip()
    m = _NAME_END.search(seg)
    if m and m.end(1) == len(seg) and _person_like(m.group(1)) and not _is_pronoun(m.group(1)):
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
    m = _PRE_ACCORDING.search(before)
    if m:
        return _att(doc, m.group(1), lo + m.start(1), lo + m.end(1), "according to", "according_to_before")
    m = _PRE_COLON.search(text[s0:qa]) if lo == s0 else None
    if m and not _is_noise(m.group(1)):
        return _att(doc, m.group(1), s0 + m.start(1), s0 + m.end(1), ":", "colon")
    m = _PRE_VERB_COLON.search(text[s0:qa]) if lo == s0 else None
    if m and not _is_noise(m.group(1)) and _is_verb(m.group(2)) and not _is_pronoun(m.group(1)):
        return _att(doc, m.group(1), s0 + m.start(1), s0 + m.end(1), m.group(2), "verb_colon")
    m = None
    for cm in reversed(list(_ANY_CUE.finditer(before))):  # the last speech verb close to the quote
        m = _PRE_CUE.match(before, cm.start())
        if m:
            break
    if not m:
        return None
    cue = m.group(1)
    if _ING.match(cue):
        nm = _person_right_before(text, lo + m.start(1), s0)
        if nm:
            return _att(doc, nm[0], nm[1], nm[2], cue, "participle_subject")
        first = _first_cue_subject(doc, s0, lo + m.start(1))
        if first and first.speaker:
            first.method = "participle_before"
            return first
        subj = _clause_subject(text, s0, lo + m.start(1))
        method = "participle_before"
    else:
        subj = _subject_before(text, lo + m.start(1), s0)
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
    for rx, method in ((_POST_ACCORDING, "according_to_after"), (_POST_DASH, "dash_after"),
                       (_POST_INVERTED, "cue_after_inverted"), (_POST_NORMAL, "cue_after")):
        m = rx.match(after)
        if m and not _is_noise(m.group(1)):
            mention, a = m.group(1), m.start(1)
            nm = _name_at_end(mention) if not _is_pronoun(mention) else None
            if nm is not None and nm.start(1) > 0:  # "Trump lawyer Marc Kasowitz" -> the name
                mention, a = nm.group(1), a + nm.start(1)
            elif nm is None and not _is_pronoun(mention):
                mention = _trim_np(mention)
            if method == "cue_after_inverted":
                role = re.match(rf"((?:[ \t\u00a0]+(?!{_PREP}\b)[a-z][\w\-]*){{1,3}})[ \t\u00a0]+({NAME})",
                                after[a + len(mention):])
                if role and _person_like(role.group(2)) and not any(_is_verb(w) for w in role.group(1).split()):
                    a = a + len(mention) + role.start(2)  # "MSNBC host Chris Matthews" -> Chris Matthews
                    mention = role.group(2)
            cue = _ANY_CUE.search(m.group(0))
            return _att(doc, mention, qb + a, qb + a + len(mention), cue.group(0) if cue else "according to", method)
    return None


def _in_caps_heading(text: str, a: int, b: int) -> bool:
    """The mention is a word of an all-capitals run ("CONGRESS HAS INVESTIGATED HIM —"): a heading,
    not a speaker."""
    if not text[a:b].isupper():
        return False
    nxt = re.match(r"[\s\u00a0]+([A-Za-z']{2,})", text[b : b + 40])
    prv = re.search(r"([A-Za-z']{2,})[\s\u00a0]+$", text[max(0, a - 40) : a])
    return bool((nxt and nxt.group(1).isupper()) or (prv and prv.group(1).isupper()))


_THE_BEFORE = re.compile(r"\b[Tt]he\s+$")


def _att(doc: SourceDocument, mention: str, a: int, b: int, cue: str, method: str) -> Attribution:
    cut = max(mention.rfind(ch) for ch in _Q)
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
    if _in_caps_heading(doc.text, a, a + len(mention)):
        return Attribution(mention=mention, mention_start=a, mention_end=b, cue=cue, method=method)
    speaker = _resolve(doc, mention, a)
    kind: SpeakerKind = _kind(speaker) if speaker else "unknown"
    if kind == "person" and (_THE_BEFORE.search(doc.text[max(0, a - 4):a]) or re.match(r"[Tt]he\s", mention)):
        kind = "organisation"  # "the Harbour Accord states": a name written with "the" is no person
    return Attribution(speaker=speaker, mention=mention, mention_start=a, mention_end=b, cue=cue,
                       kind=kind, method=method)


def _resolve(doc: SourceDocument, mention: str, pos: int) -> str | None:
    """Pronouns to their antecedent; surnames and titled names to the fullest name in the doc."""
    if _is_pronoun(mention):
        if mention.lower() in {"i", "you", "me"}:
            return None
        return _recent_speaker(doc, pos)
    name = _clean(mention)
    if _kind(name) != "person":
        bare = person_name(name)  # "House Speaker Paul Ryan": a person, though "House" reads as an organisation
        if bare == name or _kind(bare) != "person" or len(bare.split()) < 2:
            return name
        name = bare
    return _expand(doc, _without_initial_noun(doc, person_name(name)), pos)


def _without_initial_noun(doc: SourceDocument, name: str) -> str:
    """"Celebrities Julianne Moore" -> "Julianne Moore": a first word the document never capitalises in
    mid-sentence, before a name of two words or more, is a common noun that opened the sentence."""
    words = name.split(" ")
    if len(words) >= 3 and all(w[:1].isupper() for w in words) and not _capitalised_mid_sentence(doc.text, words[0]):
        return " ".join(words[1:])
    return name


_PLACE_BEFORE = r"\b(?:in|near|outside|across|throughout)\s+(?:the\s+)?"


def is_place(doc: SourceDocument, name: str) -> bool:
    """The document writes the name as a place ("a shooting in Roseburg, Ore.", "in Orlando"): it is
    nobody's name, whatever a pronoun seems to point at."""
    if not name:
        return False
    n = re.escape(name)
    return (re.search(_PLACE_BEFORE + n + r"\b(?!['\u2019]s)", doc.text) is not None
            # a region after its town: "San Bernardino, Calif.,", "Roseburg, Ore."
            or (" " not in name and re.search(rf"[A-Z][a-z]+,\s+{n}\.(?=[\s,])", doc.text) is not None))


def _expand(doc: SourceDocument, name: str, pos: int) -> str:
    name = person_name(name)
    core = _core(name)
    if not core or len(core) > 1:
        return name
    surname = core[-1]
    best: str | None = None
    for m in _NAME_ANY.finditer(doc.text):
        cand = _clean(m.group(0))
        cc = _core(cand)
        if len(cc) >= 2 and cc[-1] == surname and _person_like(cand):
            if best is None or m.start() < pos:
                best = person_name(cand)
                best = " ".join(w for w in best.split(" ") if w.strip(".").lower() not in _TITLES) or best
            if m.start() >= pos:
                break
    return best or name


def _verbless_line(sentence: str) -> bool:
    """A short line without a verb ("War and Peace."): a heading, whose names speak for no one."""
    words = [w.strip(",.;:!?\u2019'\"") for w in sentence.split()]
    return len(words) < 5 and not any(_is_verb(w) for w in words if w)


def _recent_speaker(doc: SourceDocument, pos: int, depth: int = 8, person_fallback: bool = True) -> str | None:
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
        for cm in reversed(list(_ANY_CUE.finditer(text, sent.start, hi))):
            if _enclosing(iv, cm.start(), cm.end()):
                continue
            cue = cm.group(0)
            if _ING.match(cue):
                subj = _clause_subject(text, sent.start, cm.start())
            else:
                subj = _subject_before(text, cm.start(), sent.start)
                if subj is not None and _enclosing(iv, subj[1], subj[2]):
                    subj = None  # words inside the quotation are not its speaker ("“Workers were…,” said X")
                if subj is None or _is_pronoun(subj[0]):
                    inv = re.match(rf"\s+({NAME})", text[cm.end() : hi])  # “…,” said X
                    if inv and _person_like(inv.group(1)):
                        subj = (inv.group(1), cm.end() + inv.start(1), cm.end() + inv.end(1))
            if subj and not _is_pronoun(subj[0]) and _kind(_clean(subj[0])) in ("person", "organisation") \
                    and not _in_caps_heading(text, subj[1], subj[2]):
                return _expand(doc, _clean(subj[0]), subj[1])
        if person_fallback and sent.id != s.id and not _verbless_line(text[sent.start : sent.end]):
            subj = _clause_subject(text, sent.start, hi)
            if subj and _is_pronoun(subj[0]):
                continue  # "she issued a plan …: President Obama later adopted it": she is still the one meant
            if subj and _person_like(_clean(subj[0])) and _proper_name(doc, _clean(subj[0])) \
                    and not _enclosing(iv, subj[1], subj[2]) and not is_place(doc, _clean(subj[0])):
                return _expand(doc, _clean(subj[0]), subj[1])  # the subject of the sentence before goes on
            for nm in _NAME_ANY.finditer(text, sent.start, hi):
                if _person_like(nm.group(0)) and not _enclosing(iv, nm.start(), nm.end()) \
                        and _proper_name(doc, _clean(nm.group(0))) and not is_place(doc, _clean(nm.group(0))):
                    return _expand(doc, _clean(nm.group(0)), nm.start())
    return None


def attribute(doc: SourceDocument, start: int, end: int) -> Attribution:
    """Who says the text at doc.text[start:end] (see the module docstring for the rules)."""
    start = max(0, min(start, len(doc.text)))
    end = max(start, min(end, len(doc.text)))
    iv = quote_intervals(doc)
    enc = _enclosing(iv, start, end)
    if enc is not None:
        return _attribute_quotation(doc, iv, enc, depth=0) or Attribution()
    # reported speech / narration: "X said (that) …", "according to X, …", "…, X said."
    s0, s1 = _sentence_bounds(doc, start)
    att = _first_cue_subject(doc, s0, max(s0, min(end, s1)))
    if att and att.speaker:
        return att
    text = doc.text
    tail = text[end:s1]
    m = re.match(rf"^[\s,]*(?:{_ADV})?({_SUBJ}){_APPOS}\s*{_ADV}(?:{_CUE_FINITE})\b", tail)
    if m and not _is_noise(m.group(1)):
        return _att(doc, m.group(1), end + m.start(1), end + m.end(1), "said", "cue_after_reported")
    m = _ACCORDING_ANY.search(text, s0, s1)
    if m:
        return _att(doc, m.group(1), m.start(1), m.end(1), "according to", "according_to")
    return Attribution()


def _sentence_subject(doc: SourceDocument, s0: int, qa: int) -> Attribution | None:
    """An uncued quotation inside a sentence ("Trump openly admires Putin as a “strong leader”"):
    the words are the sentence subject's, when that subject is a name (an apposition name after a
    role: "Another critic, Laurence H. Tribe, likened …") or a pronoun."""
    text = doc.text
    subj = _clause_subject(text, s0, qa)
    if not subj:
        return None
    phrase, a, b = subj
    if _role_first(phrase):
        ap = re.match(rf"\s*,\s*({NAME})\s*,", text[b:qa])
        if ap and _person_like(ap.group(1)):
            phrase, a, b = ap.group(1), b + ap.start(1), b + ap.end(1)
    if not _is_pronoun(phrase):
        name = _clean(phrase)
        if not (_person_like(name) or _kind(name) == "organisation") or not _proper_name(doc, name):
            return None  # "Innovations such as “non-persistent” mines": a sentence-initial noun, not a name
    return _att(doc, phrase, a, b, "", "sentence_subject")


def _proper_name(doc: SourceDocument, phrase: str) -> bool:
    """Two capitalised words that are not titles or function words ("Aaron Kall"), or one that the
    document also capitalises in mid-sentence ("Trump"): a name, not a sentence-initial noun."""
    caps = [w for w in phrase.split() if w[:1].isupper() and w.strip(".,").lower() not in _FUNCTION_CAPS
            and w.strip(".,").lower() not in _TITLES]
    if len(caps) >= 2:
        return True
    if len(caps) != 1:
        return False
    return _capitalised_mid_sentence(doc.text, caps[0].strip(".,"))


def _capitalised_mid_sentence(text: str, word: str) -> bool:
    return re.search(rf"[a-z,;:]\s+{re.escape(word)}\b", text) is not None


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
        not _is_verb(w) and w not in _FUNCTION_CAPS and w not in _NAME_PARTICLES for w in words)


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
        if org and _kind(org.group(1)) == "organisation":
            return _clean(org.group(1))
    name = _without_initial_noun(doc, person_name(name)) if att.kind == "person" else name
    words = name.split()
    if any(_is_pronoun(w) for w in words):
        return None
    lower = [w for w in words if w[:1].islower() and w.lower() not in _NAME_PARTICLES]
    if lower and (att.kind != "organisation" or not all(w.lower().strip(".,") in _ORG_WORDS for w in lower)):
        return None
    if words[-1].strip(".,").lower() in _TITLES:  # "Wisconsin Republican", "the Florida senator"
        return None
    if not _proper_name(doc, name) or is_place(doc, name):
        return None
    if len(words) == 1 and _modifier_only(doc, words[0]):
        return None
    return name


# the classes of the speaker finder, for the modules that check what a speaker said
speaker_kind = _kind  # person / organisation / other / unknown
is_pronoun = _is_pronoun
named_in_text = _capitalised_mid_sentence  # a word the text capitalises in mid-sentence: a name


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
    m = _TAIL_CUE.search(text, qb, max(s1, qb))
    if m and not _is_noise(m.group(1)):
        return _att(doc, m.group(1), m.start(1), m.end(1), "said", "cue_later_in_sentence")
    m = _ACCORDING_ANY.search(text, s0, max(s1, qb))
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
        who = _recent_speaker(doc, qa, depth=min(depth_s, 4))
        if who:
            return Attribution(speaker=who, kind=_kind(who), method="passage_speaker")
    return None
