"""Names of speakers: the name vocabulary (titles, organisation words, particles, function words,
pronouns), the name pattern, and what a name is: its core tokens, its kind (person / organisation /
other), a person's name without the description before it, whether two references name the same
speaker, and whether the document writes a word as a name, a heading or a place."""

from __future__ import annotations

import re
from typing import Literal

from debatebot.core.text import SourceDocument

TITLES = {
    "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sen", "senator", "rep", "representative", "gov", "governor",
    "gen", "general", "lt", "col", "colonel", "capt", "captain", "sgt", "rev", "reverend", "st", "adm", "admiral",
    "maj", "major", "cmdr", "pres", "president", "hon", "sir", "dame", "lord", "lady", "retired", "ret", "former",
    "speaker", "house", "secretary", "minister", "prime", "chancellor", "judge", "justice", "mayor", "vice",
    "chairman", "chairwoman", "chair", "director", "ambassador", "attorney", "sheriff", "officer", "chief", "the",
    "father", "sister", "brother", "pope", "king", "queen", "prince", "princess", "deputy", "assistant", "lieutenant",
    "sergeant", "commander", "candidate", "nominee", "democratic", "republican", "u.s", "us", "state", "rabbi",
    "imam", "pastor", "coach", "delegate", "del", "mrs.", "mr.", "dr.", "jr", "sr", "ii", "iii", "iv",
}
ORG_WORDS = {  # nouns that make a name an organisation (generic words only: no outlet or country names)
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
NAME_PARTICLES = {"de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "do", "dos", "das",
                  "ter", "ten", "zu", "op", "e", "bin", "ibn", "al", "el", "of", "for", "and", "the", "y"}
FUNCTION_CAPS = {
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
NAME_END = re.compile(rf"({NAME})\s*$")


SpeakerKind = Literal["person", "organisation", "other", "unknown"]


def _name_tokens(name: str) -> list[str]:
    name = re.sub(r"\([^)]*\)", " ", name)
    name = name.split(",")[0]
    toks = [t.strip(".'\u2019").lower() for t in re.split(r"[\s\u00a0]+", name) if t.strip(".")]
    toks = [t[:-2] if t.endswith(("'s", "\u2019s")) else t for t in toks]
    return [t for t in toks if t]


def core_tokens(name: str) -> list[str]:
    """Name tokens without titles; when the phrase holds several capitalised runs (e.g. "Clinton's
    campaign manager Robby Mook"), the last run."""
    parts = [x.strip() for x in re.sub(r"\([^)]*\)", " ", name).split(",") if x.strip()]
    clean = parts[0] if parts else ""
    if len(parts) > 1 and role_first(parts[0]) and person_like(parts[1]) and len(_name_tokens(parts[1])) >= 2:
        clean = parts[1]  # "Another critic, Laurence H. Tribe," -> the apposition is the name
    at = re.match(rf"({_CAP}(?:\s+{_CAP})+)\s+(?:of|from|at|for|in|on)\s", clean)
    if at and speaker_kind(clean) == "person":
        clean = at.group(1)  # "Del. Stacey Plaskett of the Virgin Islands": the name ends before "of"
    words = clean.split()
    own = [i for i, w in enumerate(words[:-1]) if w.endswith(("'s", "\u2019s"))]
    if own:  # "Amnesty's Patrick Wilcken", "Clinton's adviser Robby Mook": the name after the possessive
        clean = " ".join(words[own[-1] + 1 :])
    runs = re.findall(rf"{_CAP}(?:\s+(?:{_CONNECT}\s+)?{_CAP})*", clean)
    if len(runs) > 1:
        clean = runs[-1]
    toks = [t for t in _name_tokens(clean) if t not in TITLES]
    return toks or _name_tokens(clean)


def role_first(phrase: str) -> bool:
    """The phrase opens with a possessive or determiner, so a name after its comma is who is meant:
    "His former partner at Lenox, Lawrence B. Cummings", "Another critic, Laurence H. Tribe"."""
    first = phrase.split(" ")[0] if phrase else ""
    return (first.endswith(("'s", "\u2019s")) or first.lower() in FUNCTION_CAPS
            or first.lower() in {"another", "former", "fellow"})


def is_pronoun(s: str) -> bool:
    return s.strip().lower() in PRONOUNS


def speaker_kind(name: str) -> SpeakerKind:
    toks = _name_tokens(name)
    if not toks:
        return "unknown"
    if any(t in ORG_WORDS for t in toks) or name.isupper():
        return "organisation"
    if name[:1].islower() or toks[0] in {"the", "a", "an"}:
        return "other"
    words = name.split()
    if len(words) > 1 and words[1][:1].islower() and words[1].lower() not in NAME_PARTICLES:
        return "other"  # a description opening a sentence ("Senior officials in X"), not a name
    return "person"


def person_like(name: str) -> bool:
    toks = [t for t in _name_tokens(name) if t not in FUNCTION_CAPS]
    return (bool(toks) and speaker_kind(name) == "person" and toks[0] not in FUNCTION_CAPS
            and any(t not in TITLES for t in toks))  # a title alone ("Republican") names no one


def clean_name(name: str) -> str:
    """Whitespace, possessive and leading capitalised function words ("The UK Foreign Office")
    removed; lowercase noun phrases ("the spokesman") are kept as written."""
    name = re.sub(r"\s+", " ", name).strip(" ,.:;\u2014\u2013-")
    name = re.sub(r"(?:'s|\u2019s)$", "", name)
    name = re.sub(r"(?:\s+(?:and|or|but|of|for|on|at|the|with|[a-z]+ly))+$", "", name)  # "Trump and", "X openly"
    words = name.split(" ")
    while len(words) > 1 and words[0].lower() in FUNCTION_CAPS and words[1][:1].isupper():
        words = words[1:]
    return " ".join(words)


# title words after which a person's name follows ("Florida Sen. Marco Rubio"): what stands before them is a
# description (a state, a party, "Former"), not part of the name; name suffixes and "the" are no such words
_TITLE_BREAK = TITLES - {"jr", "sr", "ii", "iii", "iv", "the", "state", "u.s", "us", "retired", "ret", "former"}


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
        lower = [i for i, w in enumerate(rest) if w[:1].islower() and w not in NAME_PARTICLES]
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
    c, a = core_tokens(claimed), core_tokens(actual)
    if not c or not a:
        return False
    if is_pronoun(" ".join(c)) or is_pronoun(" ".join(a)):
        return False
    if c == a:
        return True
    if _cut_short(claimed, actual) or _cut_short(actual, claimed):
        return True
    cs, as_ = set(c), set(a)
    if {"organisation", "other"} & {speaker_kind(claimed), speaker_kind(actual)}:
        small, big = (cs, as_) if len(cs) <= len(as_) else (as_, cs)
        content = {t for t in small if t not in FUNCTION_CAPS}
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
    s_toks, l_toks = _name_tokens(clean_name(short)), _name_tokens(clean_name(long))
    content = [t for t in s_toks if t not in FUNCTION_CAPS and t not in TITLES]
    if not content or len(s_toks) >= len(l_toks) or l_toks[: len(s_toks)] != s_toks:
        return False
    words = re.sub(r"\([^)]*\)", " ", clean_name(long)).split(",")[0].split()
    nxt = words[len(s_toks)] if len(words) > len(s_toks) else ""
    return nxt[:1].islower() or len(s_toks) >= 3


def is_noise(name: str) -> bool:
    if is_pronoun(name):
        return False
    toks = _name_tokens(name)
    return not toks or all(t in FUNCTION_CAPS for t in toks)


def name_at_end(phrase: str) -> re.Match | None:
    m = NAME_END.search(phrase)
    return m if m and not is_noise(m.group(1)) else None


def in_caps_heading(text: str, a: int, b: int) -> bool:
    """The mention is a word of an all-capitals run ("CONGRESS HAS INVESTIGATED HIM —"): a heading,
    not a speaker."""
    if not text[a:b].isupper():
        return False
    nxt = re.match(r"[\s\u00a0]+([A-Za-z']{2,})", text[b : b + 40])
    prv = re.search(r"([A-Za-z']{2,})[\s\u00a0]+$", text[max(0, a - 40) : a])
    return bool((nxt and nxt.group(1).isupper()) or (prv and prv.group(1).isupper()))


def without_initial_noun(doc: SourceDocument, name: str) -> str:
    """"Celebrities Julianne Moore" -> "Julianne Moore": a first word the document never capitalises in
    mid-sentence, before a name of two words or more, is a common noun that opened the sentence."""
    words = name.split(" ")
    if len(words) >= 3 and all(w[:1].isupper() for w in words) and not named_in_text(doc.text, words[0]):
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


def proper_name(doc: SourceDocument, phrase: str) -> bool:
    """Two capitalised words that are not titles or function words ("Aaron Kall"), or one that the
    document also capitalises in mid-sentence ("Trump"): a name, not a sentence-initial noun."""
    caps = [w for w in phrase.split() if w[:1].isupper() and w.strip(".,").lower() not in FUNCTION_CAPS
            and w.strip(".,").lower() not in TITLES]
    if len(caps) >= 2:
        return True
    if len(caps) != 1:
        return False
    return named_in_text(doc.text, caps[0].strip(".,"))


def named_in_text(text: str, word: str) -> bool:
    """The text capitalises the word in mid-sentence: a name."""
    return re.search(rf"[a-z,;:]\s+{re.escape(word)}\b", text) is not None
