"""The shared word resources of the package: function words, negators, quantifiers, antonyms,
number words and a suffix stripper. One place for the language the hand-written checks rely on.

Hand-written, not learned or imported: PyStemmer / nltk are not dependencies and a few suffix
rules are enough for matching; the lists are closed classes of English words (constants, not
algorithms) and name no topic."""

from __future__ import annotations

STOPWORDS = frozenset(
    """a an the and or but nor if then than so as of at by for from in into on onto to with without within
    about above across after against along among around before behind below beneath beside between beyond
    during except inside near off out outside over past since through throughout till toward towards under
    until up upon via be is are was were been being am do does did doing done have has had having will would
    shall should can could may might must it its it's this that these those there here which who whom whose
    what when where why how he she they we you i me him her them us our your their his my mine ours yours
    theirs himself herself itself themselves also just only very too such own same other another each both
    either neither any many much more several few s t 's said says say according while whereas although though
    because however even still yet already well now currently ever again once one's being""".split()
)
# Common words that carry little of a claim's content (weighted GENERIC_WEIGHT in coverage).
GENERIC_WORDS = frozenset(
    """able across actually additionally almost alone along already although always among amongst amount
    another anyhow anyone anything anyway anywhere around back became become becomes becoming beforehand
    behind beside besides bottom call called come came could describe detail did done down due during eg
    else elsewhere empty enough etc even every everyone everything everywhere find first former formerly
    front full further get give go going had hence hereafter hereby herein hereupon indeed interest
    kind last latter latterly least less like made make making many meanwhile mostly move must name namely
    next noone often otherwise part per perhaps please put rather really regarding seem seemed seeming seems
    serious show side since sincere something sometime sometimes somewhere take taken thereafter thereby
    therefore thereupon thus together top toward twelve various whatever whence whenever whereafter whereby
    wherein whereupon wherever whether whither whoever whole whom within would year years time times
    later known well way ways new old including include includes included use used using thing things instead""".split()
)
NEGATIONS = frozenset(
    "not no never n't none nobody nothing neither nor cannot without non lack lacks lacked refused "
    "refuses denied denies failed fails".split()
)
QUANT_ALL = frozenset("all every each entire whole always".split())
QUANT_SOME = frozenset("some several few many most part partly partially sometimes except".split())
QUANT_NONE = frozenset("none no never nobody nothing".split())
# Antonym stems (both directions are added below).
ANTONYM_PAIRS = [
    ("increase", "decrease"), ("rise", "fall"), ("rose", "fell"), ("grow", "shrink"), ("win", "lose"),
    ("won", "lost"), ("support", "oppose"), ("accept", "reject"), ("join", "leave"), ("joined", "left"),
    ("allow", "ban"), ("allow", "prohibit"), ("permit", "prohibit"), ("approve", "reject"), ("higher", "lower"),
    ("more", "less"), ("more", "fewer"), ("larger", "smaller"), ("before", "after"), ("ratify", "withdraw"),
    ("open", "close"), ("gain", "lost"), ("born", "died"), ("alive", "dead"), ("first", "last"),
    ("buy", "sell"), ("bought", "sold"), ("strengthen", "weaken"), ("expand", "reduce"), ("begin", "end"),
    ("above", "below"), ("majority", "minority"), ("halved", "doubled"), ("longer", "shorter"), ("working", "failing"),
    ("worked", "failed"), ("improve", "worsen"), ("improved", "worsened"), ("succeed", "fail"), ("success", "failure"),
    ("quickly", "slowly"), ("faster", "slower"), ("safer", "riskier"), ("cheaper", "costlier"), ("grown", "shrunk"),
    ("expanded", "shrunk"), ("rising", "falling"), ("gained", "lost"), ("surplus", "deficit"), ("profit", "loss"),
    ("recovered", "declined"), ("keep", "scrap"), ("kept", "scrapped"), ("kept", "abolished"), ("favour", "oppose"),
    ("welcomed", "criticised"), ("praised", "criticised"), ("passed", "rejected"), ("mandatory", "voluntary"),
    ("compulsory", "voluntary"), ("legal", "illegal"), ("lifted", "imposed"), ("raised", "lowered"),
    ("strong", "weak"), ("earlier", "later"), ("early", "late"), ("older", "younger"), ("richer", "poorer"),
    ("increased", "reduced"), ("increased", "cut"), ("widened", "narrowed"), ("higher", "fewer"),
    ("rose", "fall"), ("rose", "fallen"), ("risen", "fallen"), ("risen", "fell"), ("rise", "fell"), ("rising", "fell"),
    ("increase", "fall"), ("increased", "fell"), ("grew", "fell"), ("rose", "dropped"), ("rose", "declined"),
    ("keep", "remove"), ("keep", "abolish"), ("retain", "remove"),
]
_ANTONYM_STEMS: dict[str, set[str]] = {}


def antonyms(stem_: str) -> set[str]:
    """Stems of the antonyms of a stem (table above, matched on stems)."""
    if not _ANTONYM_STEMS:
        for x, y in ANTONYM_PAIRS:
            _ANTONYM_STEMS.setdefault(stem(x), set()).add(stem(y))
            _ANTONYM_STEMS.setdefault(stem(y), set()).add(stem(x))
    return {a for key, ants in _ANTONYM_STEMS.items() if stems_match(key, stem_) for a in ants}


NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
MONTHS = {m: i for i, m in enumerate(
    "January February March April May June July August September October November December".split(), 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items()) if m != "May"})
MAGNITUDE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9, "m": 1e6, "k": 1e3}

# Clause-verb cues used (conservatively) by split_claim.
CLAUSE_VERBS = frozenset(
    "is are was were has have had will would can could did does do shall should may might must "
    "said says say told made took gave went won lost held left met led began became came found got built "
    "sent spent paid sold bought brought thought rose fell grew saw wrote ran laid kept set put cut".split()
)
SUBJECT_STARTS = frozenset("he she they it we i you the this that these those his her their its a an".split())


def stem(word: str) -> str:
    """Lowercase + simple suffix stripping (lemma-ish; over-stripping is fine for matching)."""
    w = word.lower()
    if w.endswith("'s"):
        w = w[:-2]
    if len(w) <= 3 or w.isdigit():
        return w
    for suf, rep, min_len in (
        ("ies", "y", 5), ("ied", "y", 5), ("sses", "ss", 5), ("ness", "", 7), ("ments", "", 8), ("ment", "", 7),
        ("ingly", "", 8), ("edly", "", 7), ("ings", "", 6), ("ing", "", 6), ("ed", "", 5), ("ly", "", 6),
        ("es", "", 6), ("s", "", 4),
    ):
        if w.endswith(suf) and len(w) >= min_len and not (suf == "s" and w.endswith(("ss", "us", "is"))):
            w = w[: len(w) - len(suf)] + rep
            break
    if len(w) > 4 and w[-1] == w[-2] and w[-1] not in "lsz":  # running -> runn -> run
        w = w[:-1]
    if len(w) > 4 and w.endswith("e"):  # decrease / decreas
        w = w[:-1]
    return w



def stems_match(a: str, b: str) -> bool:
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 4 and long_.startswith(short) and len(long_) - len(short) <= 5 and not short.isdigit()


# Function words left out when measuring how much of a question a sentence shares (evidence ranking,
# "not in the sources"); shorter than STOPWORDS: words such as "against", "denied", "every" count there.
SEARCH_STOPWORDS = frozenset(
    "a an the and or but if of to in on at by for with from as is are was were be been being it its this that "
    "these those there their they them he she his her we our you your i not no do does did has have had will "
    "would should could can may might must shall than then so such which who whom whose what when where why "
    "how all any some more most other into over about after before while also only even very just".split()
)
# Words whose omission or addition turns a statement round (the quote verifier flags such edits).
MEANING_WORDS = frozenset("not never no nor neither without cannot nobody nothing none hardly barely scarcely unless "
                          "except only".split())
# Particles and titles that are part of a name as written but never the surname a holder is known by
# ("Minister Jan de Vries" is found as "Vries").
NAME_PARTICLES = frozenset(
    "the of and for de van von der la le dr mr mrs ms prof professor sir general gen minister president".split())
# Honorifics and articles dropped before two speaker names are compared word by word (evaluation):
# "Sen. Warren" and "Elizabeth Warren" share "warren"; "President" or "de" still count as words.
NAME_HONORIFICS = frozenset("the a an of mr mrs ms dr sen rep gov gen lt rev and s".split())
