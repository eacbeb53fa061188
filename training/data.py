"""Training pairs for the judge: public NLI + stance data, synthetic news perturbations, inverted motions,
and (stage 3) stance texts in news form, restated motions, unrelated news as "neither", paraphrases.

Labels: NLI head  0 entailment, 1 neutral, 2 contradiction (premise -> hypothesis);
        stance head 0 pro, 1 con, 2 neither (text -> motion).
Every random choice goes through one seeded `random.Random`.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

from debatebot.judge.motions import invert_motion

NLI_LABELS = {"entailment": 0, "neutral": 1, "contradiction": 2}
STANCE_LABELS = {"pro": 0, "con": 1}
NEITHER = 2


@dataclass(frozen=True)
class Pair:
    a: str          # premise / text
    b: str          # hypothesis / motion
    label: int
    task: int       # 0 NLI, 1 stance
    origin: str


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


# ---------------------------------------------------------------- NLI from ../shared/train
def nli_pairs(rows: list[dict], n: int, rng: random.Random) -> list[Pair]:
    """A sample of n rows with neutral (the rarest class) kept whole."""
    neutral = [r for r in rows if r["label"] == "neutral"]
    rest = [r for r in rows if r["label"] != "neutral"]
    rng.shuffle(rest)
    take = neutral[: n // 3] + rest[: n - min(len(neutral), n // 3)]
    return [Pair(r["premise"], r["hypothesis"], NLI_LABELS[r["label"]], 0, r["source"].split("/")[0]) for r in take]


def distractor_pairs(rows: list[dict], n: int, rng: random.Random) -> list[Pair]:
    """NLI rows whose premise stands among one or two premises of other rows, in random order, label kept:
    the claim checker reads the best two or three evidence sentences together, and a fact stays entailed
    (or contradicted) beside sentences about something else (stage 3d)."""
    rows = [r for r in rows if len(r["premise"].split()) <= 40]
    pool = [r["premise"] for r in rows]
    picks = nli_pairs(rows, n, rng)
    out = []
    for p in picks:
        sents = [p.a] + [rng.choice(pool) for _ in range(rng.choice((1, 2)))]
        rng.shuffle(sents)
        out.append(Pair(" ".join(sents), p.b, p.label, 0, p.origin + "/distractors"))
    return out


# ---------------------------------------------------------------- synthetic pairs from news sentences
_SENT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\u201c\"])")
_NUMBER = re.compile(r"\b\d[\d,]*(?:\.\d+)?\b")
_YEAR = re.compile(r"\b(19|20)\d\d\b")
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b")
# generic antonyms / quantifier and modality swaps (language, not topic)
_SWAPS = [
    ("increase", "decrease"), ("increased", "decreased"), ("rise", "fall"), ("rose", "fell"),
    ("higher", "lower"), ("more", "fewer"), ("more than", "less than"), ("largest", "smallest"),
    ("support", "oppose"), ("supports", "opposes"), ("supported", "opposed"), ("agreed", "refused"),
    ("accepted", "rejected"), ("approved", "rejected"), ("won", "lost"), ("before", "after"),
    ("allowed", "banned"), ("legal", "illegal"), ("win", "lose"), ("always", "never"),
    ("all", "none of the"), ("most", "few"), ("many", "few"), ("first", "last"), ("up", "down"),
    ("strong", "weak"), ("success", "failure"), ("successful", "unsuccessful"), ("praised", "criticized"),
    ("true", "false"), ("guilty", "innocent"), ("ally", "enemy"), ("open", "closed"), ("began", "ended"),
    ("joined", "left"), ("hired", "fired"), ("passed", "failed"), ("easy", "difficult"), ("cheap", "expensive"),
    ("safe", "dangerous"), ("better", "worse"), ("best", "worst"), ("gained", "lost"), ("younger", "older"),
]
_SWAP = {a: b for a, b in _SWAPS} | {b: a for a, b in _SWAPS}
_SWAP_RE = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _SWAP), key=len, reverse=True)) + r")\b")
_AUX_NEG = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|does|do|did|must)\b(?! not)")
_NOT = re.compile(r"\b(is|are|was|were|has|have|had|will|would|can|could|should|does|do|did|must) not\b")
_NT = re.compile(r"\b(isn't|aren't|wasn't|weren't|hasn't|haven't|didn't|doesn't|don't|won't|can't)\b")
_NT_FIX = {"isn't": "is", "aren't": "are", "wasn't": "was", "weren't": "were", "hasn't": "has", "haven't": "have",
           "didn't": "did", "doesn't": "does", "don't": "do", "won't": "will", "can't": "can"}
# modality: a possibility or plan restated as a fact is not entailed
_MODAL = [
    (re.compile(r"\b(is|are) (considering|weighing|discussing|debating)\b"), r"\1 certain of"),
    (re.compile(r"\b(plans|plan|intends|intend|hopes|hope|wants|want|threatened|proposed) to\b"), "has already chosen to"),
    (re.compile(r"\b(may|might|could)\b"), "will certainly"),
    (re.compile(r"\b(likely|possibly|probably|perhaps)\b"), "definitely"),
]
_NAME = re.compile(r"(?<=[a-z,] )([A-Z][a-z]+(?: [A-Z][a-z]+)+)\b")
_CLAUSE = re.compile(r",? (?:and|but|while|whereas|although) |; ")


def news_sentences(articles: list[dict], rng: random.Random, per_article: int = 25) -> list[tuple[int, str]]:
    out = []
    for i, art in enumerate(articles):
        sents = [s.strip() for para in art["text"].split("\n") for s in _SENT.split(para)]
        sents = [s for s in sents if 8 <= len(s.split()) <= 45 and s[-1:] in ".!?\u201d\"" and "@" not in s]
        rng.shuffle(sents)
        out.extend((i, s) for s in sents[:per_article])
    return out


def _change_number(s: str, rng: random.Random) -> str | None:
    nums = list(_NUMBER.finditer(s))
    if not nums:
        return None
    m = rng.choice(nums)
    raw = m.group(0).replace(",", "")
    try:
        v = float(raw)
    except ValueError:
        return None
    if _YEAR.fullmatch(m.group(0)):
        new = str(int(v) + rng.choice([-3, -2, -1, 1, 2, 3]))
    else:
        factor = rng.choice([0.5, 2, 3, 10, 0.1, 1.5])
        nv = v * factor if v else rng.randint(2, 90)
        new = f"{nv:,.0f}" if "." not in raw or nv >= 100 else f"{nv:.1f}"
        if new.replace(",", "") == raw:
            new = str(int(v) + rng.randint(2, 9))
    return s[: m.start()] + new + s[m.end():]


def _change_month(s: str, rng: random.Random) -> str | None:
    m = _MONTH.search(s)
    if not m:
        return None
    new = rng.choice([x for x in _MONTHS if x != m.group(0)])
    return s[: m.start()] + new + s[m.end():]


def _swap_word(s: str, rng: random.Random) -> str | None:
    hits = list(_SWAP_RE.finditer(s))
    if not hits:
        return None
    m = rng.choice(hits)
    return s[: m.start()] + _SWAP[m.group(0)] + s[m.end():]


def _negate(s: str, rng: random.Random) -> str | None:
    m = _NOT.search(s)
    if m:
        return s[: m.start()] + m.group(1) + s[m.end():]
    m = _NT.search(s)
    if m:
        return s[: m.start()] + _NT_FIX[m.group(0)] + s[m.end():]
    hits = list(_AUX_NEG.finditer(s))
    if not hits:
        return None
    m = rng.choice(hits)
    return s[: m.end()] + " not" + s[m.end():]


def _modality(s: str, rng: random.Random) -> str | None:
    for rx, rep in _MODAL:
        if rx.search(s):
            return rx.sub(rep, s, count=1)
    return None


def _swap_name(s: str, names: list[str], rng: random.Random) -> str | None:
    hits = [m for m in _NAME.finditer(s) if m.start() > 0]
    if not hits or not names:
        return None
    m = rng.choice(hits)
    other = rng.choice(names)
    if other == m.group(1):
        return None
    return s[: m.start(1)] + other + s[m.end(1):]


def _clause(s: str, rng: random.Random) -> str | None:
    parts = [p.strip(" ,;") for p in _CLAUSE.split(s)]
    parts = [p for p in parts if len(p.split()) >= 5]
    if len(parts) < 2:
        return None
    p = rng.choice(parts)
    p = p.strip("\u201c\u201d\"' ")
    if len(p.split()) < 5:
        return None
    p = p[0].upper() + p[1:]
    return p if p.endswith(".") else p.rstrip(".,;:") + "."


def synthetic_pairs(articles: list[dict], n: int, rng: random.Random) -> list[Pair]:
    sents = news_sentences(articles, rng)
    names = sorted({m.group(1) for _, s in sents for m in _NAME.finditer(s)})
    pairs: list[Pair] = []
    contra = [("number", _change_number), ("month", _change_month), ("antonym", _swap_word), ("negation", _negate)]
    while len(pairs) < n:
        art, s = rng.choice(sents)
        kind = rng.random()
        if kind < 0.12:
            pairs.append(Pair(s, s, 0, 0, "synthetic/self"))
        elif kind < 0.25:
            c = _clause(s, rng)
            if c:
                pairs.append(Pair(s, c, 0, 0, "synthetic/clause"))
        elif kind < 0.67:
            name, fn = rng.choice(contra)
            h = fn(s, rng)
            if h and h != s:
                pairs.append(Pair(s, h, 2, 0, "synthetic/" + name))
        elif kind < 0.74:
            h = _swap_name(s, names, rng)
            if h and h != s:
                pairs.append(Pair(s, h, 2, 0, "synthetic/entity"))
        elif kind < 0.82:
            h = _modality(s, rng)
            if h and h != s:
                pairs.append(Pair(s, h, 1, 0, "synthetic/modality"))
        else:
            a2, s2 = rng.choice(sents)
            if a2 != art:
                pairs.append(Pair(s, s2, 1, 0, "synthetic/other-article"))
    return pairs


# ---------------------------------------------------------------- stance, inverted motions, neither
_FRAMES = [
    (re.compile(r"^we should (?!not\b)", re.I), ["This house would ", "The government should ", "We should ",
                                                 "This house believes we should "]),
]


def rephrase(motion: str, rng: random.Random) -> str:
    for rx, frames in _FRAMES:
        if rx.search(motion):
            return rx.sub(rng.choice(frames), motion, count=1)
    return motion


def stance_pairs(rows: list[dict], n: int, rng: random.Random, invert_share: float = 0.3,
                 neither_share: float = 0.2) -> list[Pair]:
    rows = list(rows)
    rng.shuffle(rows)
    topics = sorted({r["topic"] for r in rows})
    out: list[Pair] = []
    for r in rows:
        if len(out) >= n:
            break
        label = STANCE_LABELS[r["stance"]]
        topic = rephrase(r["topic"], rng)
        src = r["source"].split("/")[0]
        u = rng.random()
        if u < invert_share:
            inv = invert_motion(topic, rng)
            if inv:
                out.append(Pair(r["text"], inv, 1 - label, 1, src + "/inverted"))
                continue
        if u > 1 - neither_share:
            other = rng.choice(topics)
            if other != r["topic"]:
                out.append(Pair(r["text"], rephrase(other, rng), NEITHER, 1, src + "/neither"))
                continue
        out.append(Pair(r["text"], topic, label, 1, src))
    return out


# ---------------------------------------------------------------- paired inversion (stage 3p)
# The judge leans on the text alone (measured: "Many small pubs lost customers and closed after smoking was banned
# indoors" is "con" both to "We should ban smoking in bars" and to "We should allow smoking in bars"): with 30% of
# the rows inverted, a text's own wording still predicts its label 70% of the time. Here every row comes twice, with
# its motion and with the inverted motion, stance flipped, so that nothing in the text alone predicts the label.
def paired_inversion_pairs(rows: list[dict], n: int, rng: random.Random) -> list[Pair]:
    """`n` stance rows with an invertible motion, each as (text, motion, stance) and (text, inverted
    motion, flipped stance): 2n pairs; rephrased as the other stance pairs are."""
    rows = list(rows)
    rng.shuffle(rows)
    out: list[Pair] = []
    for r in rows:
        if len(out) >= 2 * n:
            break
        topic = rephrase(r["topic"], rng)
        inv = invert_motion(topic, rng)
        if not inv:
            continue
        label = STANCE_LABELS[r["stance"]]
        src = r["source"].split("/")[0]
        out += [Pair(r["text"], topic, label, 1, src + "/paired"), Pair(r["text"], inv, 1 - label, 1, src + "/paired-inv")]
    return out


# ---------------------------------------------------------------- verb polarity (stage 3v)
# The stance rows' motions are mostly "We should <verb> X" with a verb against X (ban, abolish, prohibit, end,
# fight, limit ...: 13.7k rows against 7k for subsidize, legalize, adopt, introduce), and the judge reads a verb
# it has not seen as one against X (measured: "free trade gives optimal economic advantages" is "con" to
# "We should unleash the free market" and "pro" to "We should support the free market"). These pairs put the
# same row under a verb of either polarity, drawn half and half from a table of general policy verbs (no topic
# words): a verb of the original's polarity keeps the stance, one of the other polarity flips it.
VERBS_FOR = ["support", "promote", "encourage", "expand", "fund", "subsidize", "legalize", "adopt", "introduce",
             "protect", "keep", "embrace", "back", "strengthen", "invest in", "allow", "permit", "increase",
             "extend", "champion", "defend", "welcome", "require", "mandate", "prioritise"]
VERBS_AGAINST = ["ban", "abolish", "prohibit", "end", "fight", "limit", "abandon", "close", "stop", "oppose",
                 "cancel", "outlaw", "forbid", "scrap", "restrict", "phase out", "crack down on", "curb",
                 "get rid of", "eliminate", "reject", "discourage", "reduce", "criminalize", "defund"]
_POLARITY = {v: 1 for v in VERBS_FOR} | {v: -1 for v in VERBS_AGAINST}
_VERB_MOTION = re.compile(r"^(we should) (" + "|".join(sorted(map(re.escape, _POLARITY), key=len, reverse=True))
                          + r") (?=\S)", re.I)


def verb_polarity_pairs(rows: list[dict], n: int, rng: random.Random) -> list[Pair]:
    """(text, "We should <new verb> X", stance kept or flipped): see the table above; rephrased as the
    other stance pairs are ("This house would ...")."""
    rows = [r for r in rows if _VERB_MOTION.search(r["topic"])]
    rng.shuffle(rows)
    out: list[Pair] = []
    for r in rows:
        if len(out) >= n:
            break
        m = _VERB_MOTION.search(r["topic"])
        old = _POLARITY[m.group(2).lower()]
        new = rng.choice(VERBS_FOR if rng.random() < 0.5 else VERBS_AGAINST)
        if new == m.group(2).lower():
            continue
        label = STANCE_LABELS[r["stance"]]
        if _POLARITY[new] != old:
            label = 1 - label
        motion = rephrase(f"We should {new} " + r["topic"][m.end():], rng)
        out.append(Pair(r["text"], motion, label, 1, r["source"].split("/")[0] + "/verb"))
    return out


_NEGATION = re.compile(r"\b(not|no|never|cannot|nothing|none|nobody|without)\b|n't\b", re.I)


def negation_balanced(rows: list[dict], rng: random.Random) -> list[dict]:
    """The stance rows with pro and con equally common among texts with a negation and among texts
    without one (stage 3n): in the training rows a negated text is con 58% of the time, another 45%,
    and the judge reads "does not" as "con" whatever the sentence means."""
    out = []
    for has_neg in (True, False):
        group = [r for r in rows if bool(_NEGATION.search(r["text"])) == has_neg]
        pro = [r for r in group if r["stance"] == "pro"]
        con = [r for r in group if r["stance"] == "con"]
        k = min(len(pro), len(con))
        out += rng.sample(pro, k) + rng.sample(con, k)
    return out


def stance_dev_pairs(rows: list[dict], rng: random.Random, n: int) -> list[Pair]:
    rows = list(rows)
    rng.shuffle(rows)
    return stance_pairs(rows[:n], n, rng, invert_share=0.3, neither_share=0.2)


# ---------------------------------------------------------------- stage 3: news-style stance and paraphrase
# Generic people, roles and organisations for attribution wrappers: no topic words, only the shapes in which
# news prose reports an argument ("“<text>,” said <name>."). The label is the text's stance towards the motion;
# a wrapper that rejects the text ("<name> disputed the claim that <text>") flips it.
_FIRST = ["Maria", "James", "Aisha", "Daniel", "Li", "Sarah", "Ahmed", "Elena", "David", "Grace", "Tom", "Priya",
          "Kofi", "Anna", "Lucas", "Mei", "Omar", "Julia", "Peter", "Fatima", "Samuel", "Nadia", "Robert", "Ines"]
_LAST = ["Smith", "Okafor", "Garcia", "Chen", "Novak", "Patel", "Johnson", "Rossi", "Kim", "Hughes", "Silva",
         "Brennan", "Haddad", "Larsen", "Moreau", "Nakamura", "Kowalski", "Mensah", "Fischer", "Reyes"]
_ROLES = ["a spokesperson for the group", "a senior fellow at a policy institute", "a professor at the university",
          "an analyst", "a former official", "a member of parliament", "a campaigner", "the group's director",
          "a local councillor", "a lawyer", "a researcher", "a columnist", "the chair of the committee",
          "a senior adviser", "the organisation's president"]
_ORGS = ["a report released on Tuesday", "the institute", "a coalition of advocacy groups", "the organisation's latest report",
         "a statement from the group", "the association", "researchers at the university", "a briefing paper",
         "the committee's findings", "a letter signed by dozens of experts"]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_PEOPLE = ["experts", "observers", "residents", "officials", "scholars", "commentators", "lawmakers"]
_KEEP = [  # {Q} the text as a quotation, {c} as a clause (first word lower-cased)
    "\u201c{Q},\u201d said {N}, {R}.", "\u201c{Q},\u201d {N} said.", "\u201c{Q},\u201d {N} told reporters on {D}.",
    "{Q}, {N}, {R}, said on {D}.", "{N}, {R}, argued that {c}.", "{N} said in a statement that {c}.",
    "According to {O}, {c}.", "{N} wrote in an opinion piece that {c}.", "In an interview, {N} said {c}.",
    "Some {P} argue that {c}.", "{N}, {R}, told the hearing that {c}.", "{Q}, {N} said.",
]
_FLIP = ["{N} rejected the argument that {c}.", "{N} disputed the claim that {c}.",
         "{N}, {R}, dismissed the idea that {c}.", "{N} said it was not true that {c}."]
_WHETHER = ["Lawmakers will debate whether {m} next week.", "{N} declined to say whether {m}.",
            "The survey asked respondents whether {m}.", "A vote on whether {m} is expected next month.",
            "{N}, {R}, said the panel had not yet decided whether {m}.", "It remains unclear whether {m}."]
_MENTION = ["A debate on the motion \u201c{M}\u201d was held on {D}.", "{N} will chair a discussion titled \u201c{M}\u201d.",
            "The motion \u201c{M}\u201d will be put to the audience at the end of the evening.",
            "Students were asked to write an essay on the statement \u201c{M}\u201d."]
_HAS_VERB = re.compile(r"\b(should|must|would|is|are|was|were|can|could|will|has|have|do|does|did)\b", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]+")
_STOP = {
    "the", "a", "an", "and", "or", "but", "of", "to", "in", "on", "at", "for", "with", "by", "from", "as", "is",
    "are", "was", "were", "be", "been", "being", "this", "that", "these", "those", "it", "its", "they", "them",
    "their", "there", "here", "we", "our", "you", "your", "he", "she", "his", "her", "not", "no", "should",
    "would", "could", "can", "will", "must", "have", "has", "had", "do", "does", "did", "than", "then", "so",
    "such", "very", "more", "most", "less", "all", "any", "some", "which", "who", "whom", "what", "when", "where",
    "why", "how", "also", "into", "over", "under", "about", "after", "before", "because", "while", "if",
    "just", "only", "other", "own", "same", "too", "up", "down", "out",
}


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"


def lower_words(texts: list[str]) -> set[str]:
    """Words seen in lower case somewhere in the texts: a sentence-initial word in this set may be lower-cased."""
    return {w for t in texts for w in _WORD.findall(t) if w.islower()}


def _clause_of(text: str, lower: set[str]) -> str:
    """The text as a clause to follow 'that': no final stop, first word lower-cased when it is a common word."""
    t = " ".join(text.split()).strip().rstrip(".!;:, ").replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    t = t.replace('"', "\u2019")
    first = t.split(" ", 1)[0]
    if first and first != "I" and first[:1].isupper() and (first == "A" or first[1:].islower()) \
            and first.lower() in lower:
        t = first.lower() + t[len(first):]
    return t


def _quote_of(text: str) -> str:
    t = " ".join(text.split()).strip().rstrip(".!;:, ").replace("\u201c", "\u2018").replace("\u201d", "\u2019")
    t = t.replace('"', "\u2019")
    return t[:1].upper() + t[1:]


def _fill(tpl: str, rng: random.Random, **kw) -> str:
    return tpl.format(N=_person(rng), R=rng.choice(_ROLES), O=rng.choice(_ORGS), D=rng.choice(_DAYS),
                      P=rng.choice(_PEOPLE), **kw)


def frame(text: str, rng: random.Random, lower: set[str], flip: bool = False) -> str:
    """`text` as news prose reports it: a quotation or a 'that' clause attributed to a generic speaker (with
    `flip`, a speaker rejecting it)."""
    if flip:
        return _fill(rng.choice(_FLIP), rng, c=_clause_of(text, lower))
    tpl = rng.choice(_KEEP)
    return _fill(tpl, rng, Q=_quote_of(text), c=_clause_of(text, lower))


def _content(s: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(s) if len(w) >= 4 and w.lower() not in _STOP}


def framed_stance_pairs(rows: list[dict], n: int, rng: random.Random, news: list[str] | None = None,
                        flip_share: float = 0.08, invert_share: float = 0.28, neither_share: float = 0.12,
                        context_share: float = 0.25) -> list[Pair]:
    """Stance rows in news form (`frame`), the label kept (or flipped by a rejecting wrapper); a share of the
    motions inverted (the label flips), a share paired with another topic (neither), and a share with an
    unrelated news sentence before or after (label kept: a sentence sharing no content word with the motion)."""
    rows = list(rows)
    rng.shuffle(rows)
    topics = sorted({r["topic"] for r in rows})
    lower = lower_words([r["text"] for r in rows] + topics)
    out: list[Pair] = []
    i = 0
    while len(out) < n and rows:
        r = rows[i % len(rows)]
        i += 1
        label = STANCE_LABELS[r["stance"]]
        flip = rng.random() < flip_share
        text = frame(r["text"], rng, lower, flip)
        if flip:
            label = 1 - label
        motion = rephrase(r["topic"], rng)
        src = r["source"].split("/")[0] + "/framed"
        u = rng.random()
        if u < invert_share:
            inv = invert_motion(motion, rng)
            if not inv:
                continue
            motion, label, src = inv, 1 - label, src + "-inverted"
        elif u > 1 - neither_share:
            other = rng.choice(topics)
            if other == r["topic"]:
                continue
            motion, label, src = rephrase(other, rng), NEITHER, src + "-neither"
        if news and rng.random() < context_share:
            s = rng.choice(news)
            if _content(s) & (_content(motion) | _content(r["topic"])):
                continue
            text = f"{s} {text}" if rng.random() < 0.5 else f"{text} {s}"
            src += "-context"
        out.append(Pair(text, motion, label, 1, src))
    return out


def _motion_clause(motion: str, lower: set[str]) -> str:
    return _clause_of(motion, lower)


def motion_statement_pairs(topics: list[str], n: int, rng: random.Random, lower: set[str]) -> list[Pair]:
    """Texts that restate the motion itself: attributed as said (pro), its inversion said (con), or only
    mentioned, asked about or put to a vote (neither). Most words are shared with the motion in all three,
    so topical overlap alone cannot tell the label."""
    topics = sorted(topics)
    out: list[Pair] = []
    while len(out) < n:
        topic = rng.choice(topics)
        motion = rephrase(topic, rng)
        kind = rng.random()
        if kind < 0.34:
            out.append(Pair(frame(topic, rng, lower), motion, 0, 1, "restate/pro"))
        elif kind < 0.67:
            inv = invert_motion(topic, rng)
            if inv:
                out.append(Pair(frame(inv, rng, lower), motion, 1, 1, "restate/con"))
        else:
            if _HAS_VERB.search(topic) and rng.random() < 0.6:
                text = _fill(rng.choice(_WHETHER), rng, m=_motion_clause(topic, lower))
            else:
                m = " ".join(topic.split()).rstrip(". ")
                text = _fill(rng.choice(_MENTION), rng, M=m)
            out.append(Pair(text, motion, NEITHER, 1, "restate/neither"))
    return out


def news_neither_pairs(articles: list[dict], topics: list[str], n: int, rng: random.Random) -> list[Pair]:
    """News sentences paired with a motion they share no content word with: neither."""
    sents = [s for _, s in news_sentences(articles, rng)]
    topics = sorted(topics)
    out: list[Pair] = []
    while len(out) < n:
        s = rng.choice(sents)
        topic = rng.choice(topics)
        if _content(s) & _content(topic):
            continue
        out.append(Pair(s, rephrase(topic, rng), NEITHER, 1, "news/neither"))
    return out


# meaning-preserving rewrites of function words and common verbs (language, not topic): entailment
_PARA = [
    (re.compile(r"\bafter (?=(?:the|a|an|his|her|their|its|this|that|[A-Z0-9]))"), "following "),
    (re.compile(r"\bfollowing (?=(?:the|a|an|his|her|their|its|this|that|[A-Z0-9]))"), "after "),
    (re.compile(r"\bbefore (?=(?:the|a|an|his|her|their|its|this|that|[A-Z0-9]))"), "prior to "),
    (re.compile(r"\babout (?=\$?\d)"), "approximately "), (re.compile(r"\bmore than (?=\$?\d)"), "over "),
    (re.compile(r"\bnearly\b"), "almost"), (re.compile(r"\balmost\b"), "nearly"),
    (re.compile(r"\bsaid\b"), "stated"), (re.compile(r"\bbought\b"), "purchased"), (re.compile(r"\bbuy\b"), "purchase"),
    (re.compile(r"\bhelped\b"), "assisted"), (re.compile(r"\bstarted\b"), "began"), (re.compile(r"\bbegan\b"), "started"),
    (re.compile(r"\bbig\b"), "large"), (re.compile(r"\bquickly\b"), "rapidly"), (re.compile(r"\bseveral\b"), "a number of"),
    (re.compile(r"\bbecause of\b"), "due to"), (re.compile(r"\bchildren\b"), "kids"), (re.compile(r"\bshowed\b"), "indicated"),
    (re.compile(r"\bmany\b"), "numerous"), (re.compile(r"\bend of\b"), "close of"), (re.compile(r"\bdied\b"), "passed away"),
]


def paraphrase(s: str, rng: random.Random) -> str | None:
    hits = [(rx, rep) for rx, rep in _PARA if rx.search(s)]
    if not hits or (len(hits) == 1 and hits[0][1] == "stated" and rng.random() < 0.7):  # 'said' is everywhere
        return None
    rng.shuffle(hits)
    for rx, rep in hits[: rng.choice([1, 1, 2])]:
        s = rx.sub(rep, s, count=1)
    return s


def paraphrase_pairs(articles: list[dict], n: int, rng: random.Random) -> list[Pair]:
    """A news sentence -> the same with a few words rewritten to synonyms (entailment), and with a clause
    kept (entailment): so rewording alone is not read as contradiction."""
    sents = news_sentences(articles, rng)
    out: list[Pair] = []
    tries = 0
    while len(out) < n and tries < 50 * n:
        tries += 1
        _, s = rng.choice(sents)
        h = paraphrase(s, rng)
        if h and h != s:
            if rng.random() < 0.25:
                c = _clause(h, rng)
                h = c or h
            out.append(Pair(s, h, 0, 0, "synthetic/paraphrase"))
    return out


# ---------------------------------------------------------------- the articles we wrote (training/data/written)
# Each sentence is labelled towards the article's first motion; every phrasing of the motion (and, for some, the
# rule-inverted phrasing: sides swapped) gives one stance pair per sentence, with the motion grounded as the
# engine grounds it (`ground_motion`: a named law or agreement followed by the sentence that defines it).
_WRITTEN_STANCE = {"pro": 0, "con": 1}


def _evenly(per_article: list[list[Pair]], n: int) -> list[Pair]:
    """At most n pairs, taken one per article in turn (each article's list from its end) until n or all are used."""
    out: list[Pair] = []
    i = 0
    while len(out) < n and any(per_article):
        bucket = per_article[i % len(per_article)]
        if bucket:
            out.append(bucket.pop())
        i += 1
        if i % len(per_article) == 0:
            per_article = [b for b in per_article if b]
    return out


def written_stance_pairs(articles, n: int, rng: random.Random, inverted_share: float = 0.35,
                         other_topic_share: float = 0.12) -> list[Pair]:
    """Stance pairs from the written articles: (sentence, grounded motion phrasing) -> pro / con / neither
    ("about", "unrelated" and headings are neither); a share of the phrasings also rule-inverted
    (`invert_motion`, label swapped); and a share of side sentences against another topic's motion
    (neither). At most n pairs, sampled evenly across articles."""
    from debatebot.judge.motions import ground_motion

    per_article: list[list[Pair]] = []
    motions_by_topic: dict[str, list[str]] = {}
    for art in articles:
        motions_by_topic.setdefault(art.topic, []).extend(m for m, _ in art.motions)
    topics = sorted(motions_by_topic)
    for art in articles:
        texts = [s.text for s in art.sentences if s.label != "heading"]
        pairs: list[Pair] = []
        phrasings = list(art.motions)
        for m, pol in art.motions:
            inv = invert_motion(m, rng)
            if inv and rng.random() < inverted_share:
                phrasings.append((inv, -pol))
        for m, pol in phrasings:
            gm = ground_motion(m, texts)
            for s in art.sentences + [type(art.sentences[0])(art.headline, "heading", None, -1)]:
                lab = art.label_for(s, pol)
                pairs.append(Pair(s.text, gm, _WRITTEN_STANCE.get(lab, NEITHER), 1, f"written/{lab}"))
        sides = [s for s in art.sentences if s.label in ("pro", "con")]
        for s in sides:
            if rng.random() < other_topic_share * len(phrasings):
                other = rng.choice(topics)
                if other != art.topic:
                    pairs.append(Pair(s.text, rng.choice(motions_by_topic[other]), NEITHER, 1, "written/other-topic"))
        rng.shuffle(pairs)
        per_article.append(pairs)
    return _evenly(per_article, n)


def written_side_pairs(articles, n: int, rng: random.Random, neither_share: float = 0.3) -> list[Pair]:
    """The polarity stage's pairs: every side (pro / con) sentence of the written articles against every
    phrasing of their motion, grounded, and against its rule inversion (`invert_motion`, label swapped) where
    there is one; the sentences that take no side fill `neither_share` of the pairs. At most n, sampled evenly
    across articles. (`written_stance_pairs` gives every sentence, most of them "neither"; this one teaches
    which side, within one article, a sentence serves.)"""
    from debatebot.judge.motions import ground_motion

    per_article: list[list[Pair]] = []
    for art in articles:
        texts = [s.text for s in art.sentences if s.label != "heading"]
        phrasings = []
        for m, pol in art.motions:
            phrasings.append((m, pol))
            inv = invert_motion(m, rng)
            if inv:
                phrasings.append((inv, -pol))
        sides = [s for s in art.sentences if s.label in ("pro", "con")]
        others = [s for s in art.sentences if s.label not in ("pro", "con", "heading")]
        side_pairs, neither_pairs = [], []
        for m, pol in phrasings:
            gm = ground_motion(m, texts)
            for s in sides:
                lab = art.label_for(s, pol)
                side_pairs.append(Pair(s.text, gm, _WRITTEN_STANCE.get(lab, NEITHER), 1, f"written-sides/{lab}"))
            for s in others:
                neither_pairs.append(Pair(s.text, gm, NEITHER, 1, "written-sides/neither"))
        rng.shuffle(neither_pairs)
        keep = int(len(side_pairs) * neither_share / max(1e-6, 1 - neither_share))
        pairs = side_pairs + neither_pairs[:keep]
        rng.shuffle(pairs)
        per_article.append(pairs)
    return _evenly(per_article, n)


_VERDICT_NLI = {"supported": 0, "contradicted": 2, "misattributed": 2, "overstated": 1, "not_in_sources": 1}


def written_claim_pairs(articles, n: int, rng: random.Random, unrelated_share: float = 0.3) -> list[Pair]:
    """NLI pairs from the written claims: (evidence sentence(s), claim) with the claim's verdict (supported:
    entailment; contradicted, misattributed: contradiction; overstated, not in the sources: neutral). A claim the
    article does not address is read against the article's sentence closest to it in words; a share of the
    claims also against another sentence of their article (neutral, unless that sentence is its evidence)."""
    out: list[Pair] = []
    for art in articles:
        texts = [s.text for s in art.sentences if s.label != "heading"]
        for c in art.claims:
            label = _VERDICT_NLI.get(c.get("verdict"))
            if label is None:
                continue
            ev = [e for e in c.get("evidence", []) if e]
            if not ev:
                words = _content(c["claim"])
                ev = [max(texts, key=lambda t: len(words & _content(t)))]
            out.append(Pair(" ".join(ev), c["claim"], label, 0, f"written-claims/{c.get('perturbation')}"))
            if rng.random() < unrelated_share:
                others = [t for t in texts if t not in ev]
                if others:
                    out.append(Pair(rng.choice(others), c["claim"], 1, 0, "written-claims/other-sentence"))
    rng.shuffle(out)
    return out[:n]


def shared_news_pairs(news: list[dict], negatives: list[dict], n: int, rng: random.Random) -> list[Pair]:
    """../shared/train's encyclopedic / news-style stance sentences (pro, con) and the same sentences against an
    unrelated motion (neither), up to n."""
    rows = [Pair(r["text"], rephrase(r["topic"], rng), STANCE_LABELS[r["stance"]], 1, "shared-news") for r in news]
    rows += [Pair(r["text"], r["topic"], NEITHER, 1, "shared-news/neither") for r in negatives]
    rng.shuffle(rows)
    return rows[:n]


def sentence_articles(rows: list[dict], key: str = "topic") -> list[dict]:
    """Sentences grouped into pseudo-articles ({"text": one sentence a line}) by `key`: the input that
    `synthetic_pairs` and `news_sentences` read."""
    groups: dict[str, list[str]] = {}
    for r in rows:
        groups.setdefault(r[key], []).append(" ".join(r["text"].split()))
    return [{"text": "\n".join(v)} for _, v in sorted(groups.items())]
