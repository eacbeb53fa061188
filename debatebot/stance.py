"""Stance of a source sentence towards a debate motion, without a language model.

`StanceScorer.score(sentence, motion)` returns a `StanceResult`: `value` in [-1, 1] (> 0 supports
the motion, < 0 opposes it, ~0 neutral or unrelated), `relevance` in [0, 1] and a short `reason`.

How (each part is a general rule, none is specific to a topic):

1. The motion is parsed into a *target* (what it is about: "anti-personnel mines") and a
   *polarity*: +1 if the motion favours the target ("we should use X", "X is justified"), -1 if it
   opposes it ("X should be banned", "we should not subsidize X", "X is harmful").
2. Sentiment of the sentence, from two signals:
   - `lexical`: VADER's word valences plus a small debate cue lexicon (harmful, inhumane,
     necessity, essential...), with negation, "reduce/prevent X" reversal (reducing a bad thing is
     good), contrast ("..., but ...": the clause after weighs more; "while X, Y": X weighs less)
     and damped alarm words
     ("terrifying" in an argument usually describes the urgency of a threat, not the target);
   - `proto`: projection of the sentence embedding on a sentiment direction built from a few
     generic good-vs-bad prototype sentences (written here, not taken from any data set).
3. `explicit`: a sentence that itself states a policy ("X should not be banned") gets the
   polarity of its own statement when it is about the motion's target.
4. `flip`: a sentence that talks about "a ban on <target>", or about the target's absence
   ("without X, ... would risk ..."), judges the ban or the absence, not the target.
5. Structural cues (`structural_cues`, summed into one `cue` term weighted like `explicit`):
   - `camp`: who is said to argue - "advocates/proponents of X argue", "those who favour X",
     "campaigners advocating for a ban on X" take the camp's side; "critics of X", "opposition to
     X", "campaigners against X", a bare "backlash"/"voiced opposition" oppose X;
   - `ban_relation`: leaving, withdrawing from, questioning, reconsidering a ban/treaty on X (or
     "the consensus against X is beginning to fracture") favours X; committing to, supporting,
     upholding, signing it opposes X (a named or bare "the treaty" counts as the ban on X);
   - `necessity`: "the necessity to deploy X", "compelled to ... X", "X is becoming essential"
     favour X, times the direction of what is needed ("need to ban X", "no need for X").
   X is matched by the target's head word and stems ("landmines" for "mines"), by anaphora
   ("these weapons") and, for other noun phrases, by embedding similarity to the target. The
   target's own words and proper names ("United States") carry no lexical sentiment.
6. The signals are combined linearly; the three weights were fitted once by logistic regression
   on IBM ArgKP *train* arguments only (see `_WEIGHTS`), and the result is multiplied by the motion
   polarity. VADER's own compound score is kept in `features["vader"]` for inspection only. Relevance (lexical overlap with the target, and embedding similarity to it)
   damps the value of sentences that are not about the motion.

Written by hand because no installed library does target-directed stance; measured with
`debatebot.evaluation.stance.evaluate_stance`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .embeddings import Embedder, get_embedder

# ---------------------------------------------------------------------------------------------
# Lexicons (general debate vocabulary)
# ---------------------------------------------------------------------------------------------
# Words that point a motion (or a sentence's own proposal) against its object.
_NEG_DIRECTION = {
    "ban", "bans", "banned", "banning", "abolish", "abolished", "abolishing", "abolition", "prohibit",
    "prohibited", "prohibiting", "prohibition", "forbid", "forbidding", "forbidden", "restrict",
    "restricted", "restricting", "restriction", "restrictions", "limit", "limited", "limiting", "end",
    "ended", "ending", "stop", "stopped", "stopping", "reduce", "reduced", "reducing", "abandon",
    "abandoned", "abandoning", "close", "closed", "closing", "fight", "fighting", "criminalize",
    "criminalise", "criminalized", "criminalised", "criminal", "outlaw", "outlawed", "disband",
    "disbanded", "eliminate", "eliminated", "oppose", "opposed", "repeal", "repealed", "scrap",
    "scrapped", "cut", "cancel", "cancelled", "reject", "rejected", "remove", "removed", "withdraw",
    "withdrawn", "curb", "curbed", "condemn", "condemned", "illegal", "unjustified", "harmful",
    "wrong", "dismantle", "dismantled", "leave", "exit", "phase", "punish", "punished",
    "penalize", "penalise", "discourage", "discouraged", "tax", "taxed", "never", "not", "no",
}
_POS_DIRECTION = {
    "use", "used", "using", "allow", "allowed", "allowing", "legalize", "legalise", "legalized",
    "legalised", "permit", "permitted", "adopt", "adopted", "introduce", "introduced", "reintroduce",
    "reintroduced", "subsidize", "subsidise", "subsidized", "subsidised", "support", "supports",
    "supported", "promote", "promoted", "build", "built", "implement", "implemented", "pass", "passed",
    "fund", "funded", "enforce", "enforced", "raise", "raising", "increase", "increased", "expand",
    "expanded", "encourage", "encouraged", "protect", "protected", "keep", "kept", "have", "deploy",
    "deployed", "choose", "chosen", "unleash", "regenerate", "maintain", "invest", "embrace", "accept",
    "establish", "create", "require", "required", "provide", "grant", "strengthen", "extend",
    "justified", "right", "legal", "beneficial", "good", "mandatory", "compulsory", "retain",
    "restore", "restored", "resume", "reinstate", "reinstated", "stockpile", "favour", "favor",
}
_PREDICATE_ADJECTIVES = {"justified", "unjustified", "right", "wrong", "legal", "illegal", "good", "beneficial",
                         "harmful", "criminal", "mandatory", "compulsory"}
_NEGATORS = {"not", "never", "no", "cannot", "cant", "can't", "shouldn't", "shouldnt", "mustn't",
             "don't", "dont", "doesn't", "won't", "wouldn't", "isn't", "aren't", "nor", "without"}
_MODALS = {"should", "must", "ought", "need", "needs", "shall", "would", "could", "will", "to"}
_COPULAS = {"is", "are", "was", "were", "be", "been", "being"}
_PREFIXES = re.compile(
    r"^(?:this house (?:believes|thinks) (?:that )?|this house (?:would|supports|should)\s+|"
    r"th(?:bt|w)\s+|we (?:should|must|ought to)\s+|i (?:think|believe) (?:that )?|resolved:?\s+|"
    r"it is time to\s+)",
    re.I,
)
_CUT = re.compile(r"\b(?:in order to|so that|because|since|as it|to ensure|which|that would)\b|[,;:(]", re.I)
_LEADING_NOISE = re.compile(
    r"^(?:(?:the|a|an|its|their|our|all|any|both|of|for|to|on|be|prepared|able|ready|willing|"
    r"use of|ability to|right to use|possibility of|option of|practice of)\s+)+", re.I)
_STOP = {
    "the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "by", "with", "be", "is", "are", "was",
    "were", "that", "this", "it", "its", "their", "should", "would", "we", "use", "using", "all", "any",
    "as", "at", "from", "have", "has", "into", "more", "most", "such", "these", "those", "will", "can",
}
# Sentiment cues that general lexicons miss or weigh wrongly in argumentative text.
_DEBATE_CUES: dict[str, float] = {
    # against (harm, illegitimacy, cost)
    "harmful": -2.5, "harms": -2.0, "inhumane": -3.0, "indiscriminate": -2.2, "indiscriminately": -2.2,
    "undermine": -2.0, "undermines": -2.0, "undermining": -2.0, "exploitation": -2.5, "exploit": -1.8,
    "exploits": -1.8, "exploitative": -2.5, "discrimination": -2.5, "discriminatory": -2.5,
    "discriminate": -2.0, "unconstitutional": -2.5, "expensive": -1.2, "costly": -1.5,
    "inefficient": -1.8, "ineffective": -2.0, "counterproductive": -2.0, "deaths": -2.5,
    "casualties": -2.5, "toll": -2.0, "maim": -3.0, "maimed": -3.0, "maiming": -3.0, "immoral": -2.5,
    "unethical": -2.5, "unjust": -2.5, "unsafe": -2.0, "risky": -1.5, "addictive": -2.0,
    "addiction": -2.0, "coercion": -2.5, "coercive": -2.5, "oppression": -2.5, "oppressive": -2.5,
    "inequality": -2.0, "obsolete": -1.5, "outdated": -1.5, "violation": -2.5, "violations": -2.5,
    "infringe": -2.0, "infringes": -2.0, "infringement": -2.2, "erode": -1.8, "erodes": -1.8,
    "degrade": -2.0, "degrades": -2.0, "degrading": -2.2, "burden": -1.5, "unnecessary": -1.5,
    "alleged": -0.8, "dehumanizing": -2.5, "barbaric": -3.0, "contentious": -0.8, "controversial": -0.6,
    "devastating": -2.5, "catastrophic": -2.8, "untold": -1.0, "pollution": -2.0, "corruption": -2.5,
    "abuse": -2.5, "abuses": -2.5, "exploited": -2.2, "victims": -2.0, "unfairly": -2.0,
    # for (necessity, benefit, protection)
    "necessity": 2.5, "necessary": 2.0, "essential": 2.2, "vital": 2.0, "crucial": 1.8, "needed": 1.5,
    "advantage": 2.0, "advantages": 2.0, "beneficial": 2.5, "protection": 1.8, "deterrent": 1.5,
    "defensive": 1.0, "defend": 1.5, "strengthen": 1.8, "strengthens": 1.8, "empower": 2.0,
    "empowers": 2.0, "equality": 2.0, "rights": 1.2, "affordable": 1.5, "cheaper": 1.2, "viable": 1.5,
    "justified": 2.0, "legitimate": 1.5, "effectively": 1.8, "enables": 1.2, "allows": 0.8,
    "competitiveness": 1.5, "improvement": 2.0, "saves": 1.8, "save": 1.5, "efficiency": 1.8,
    # direction words are handled structurally, not as sentiment
    "ban": 0.0, "banned": 0.0, "fight": 0.0, "fighting": 0.0, "stop": 0.0, "prevent": 0.0,
    "increase": 0.0, "lack": 0.0, "free": 1.0, "war": -1.5,
}
# Alarm words: in an argument they mostly convey urgency of a threat, not a verdict on the target.
_DAMPED = {"terrifying", "alarming", "frightening", "scary", "worrying", "worried", "fear", "fears",
           "afraid", "concern", "concerns", "concerned", "urgent", "urgently", "alarm"}
# Words that reverse what they act on: "reduces crime" is good, "reduces freedom" is bad.
_DECREASERS = {
    "reduce", "reduces", "reduced", "reducing", "reduction", "decrease", "decreases", "decreasing",
    "lower", "lowers", "lowering", "prevent", "prevents", "preventing", "prevention", "avoid", "avoids",
    "eliminate", "eliminates", "eliminating", "combat", "combats", "combating", "curb", "curbs", "tackle", "tackles", "end", "ends", "ending", "stop", "stops",
    "stopping", "limit", "limits", "limiting", "minimize", "minimise", "minimizes", "mitigate",
    "mitigates", "less", "fewer", "lack", "lacks", "lacking", "deter", "deters", "deterring", "against",
    "ban", "bans", "banning", "prohibit", "prohibits", "outweighed", "overcome", "counter", "counters",
    "remove", "removes", "cut", "cuts", "loss", "lose", "loses", "losing",
}
_CONTRAST = {"but", "however", "yet", "nevertheless", "nonetheless", "although", "though", "whereas"}
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")

# Generic prototype sentences for the embedding sentiment direction (no topic words).
_PRO_PROTOTYPES = (
    "This is good and beneficial.", "It helps people and improves lives.", "This is necessary and effective.",
    "It protects people and keeps them safe.", "This is fair, just and right.", "It is a great advantage.",
    "This brings freedom and opportunity.", "It is the best solution.", "This is important and valuable.",
    "It has many benefits for society.",
)
_CON_PROTOTYPES = (
    "This is bad and harmful.", "It hurts people and damages lives.", "This is unnecessary and ineffective.",
    "It endangers people and puts them at risk.", "This is unfair, unjust and wrong.",
    "It is a serious disadvantage.", "This causes oppression and suffering.", "It is the worst option.",
    "This is dangerous and costly.", "It has many problems for society.",
)

# Logistic-regression weights (no intercept, C=1) over the polarity-signed features, fitted once on
# IBM ArgKP arguments_train.csv only (5,583 arguments, 24 topics) with all-MiniLM-L6-v2. These
# three numbers are the only fitted parameters. (VADER's compound score was tried as a fourth
# feature: it is collinear with `lexical` and added < 1 point, so it is reported, not used.)
_WEIGHTS: dict[str, float] = {"lexical": 1.167, "proto": 9.133, "explicit": 2.799}
_BIAS = 0.0
_SENTIMENT = ("lexical", "proto")


# ---------------------------------------------------------------------------------------------
# Motion parsing
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Motion:
    """A motion reduced to what it is about and which way it points."""

    text: str
    target: str
    polarity: int  # +1: the motion favours the target; -1: it opposes it


def _words(text: str) -> list[str]:
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def _direction(words: Sequence[str]) -> int:
    """Product of the direction words and negators in `words` (+1 when none)."""
    sign = 1
    for i, w in enumerate(words):
        if w in _NEGATORS or w in _NEG_DIRECTION:
            if w == "fight" and i + 1 < len(words) and words[i + 1] == "for":
                continue  # "fight for X" supports X
            if w == "no" and i + 1 < len(words) and words[i + 1] == "longer":
                sign = -sign
                continue
            sign = -sign
    return sign


def _clean_target(text: str) -> str:
    text = _CUT.split(text, maxsplit=1)[0]
    text = _LEADING_NOISE.sub("", text.strip())
    return text.strip(" .!?\"'\u201c\u201d")


def _subject(body: str) -> str:
    m = re.match(r"^(.*?)\s+(?:should|must|ought|would|is|are|was|were|be)\b", body, re.I)
    return _clean_target(m.group(1)) if m else ""


@lru_cache(maxsize=512)
def parse_motion(motion: str) -> Motion:
    """Target and polarity of a motion ("We should ban X" -> ("X", -1))."""
    text = motion.strip().rstrip(".!?")
    body = _PREFIXES.sub("", text)
    body = _PREFIXES.sub("", body)  # "This house believes that we should ..."
    tokens = list(re.finditer(r"[A-Za-z]+(?:['\u2019-][A-Za-z]+)*", body))
    low = [t.group(0).lower().replace("\u2019", "'") for t in tokens]
    # the head verb: the first direction word (a verb or predicate adjective) in the motion
    cands = [i for i, w in enumerate(low) if w in _POS_DIRECTION or (w in _NEG_DIRECTION and w not in _NEGATORS)]
    verbs = [i for i in cands if low[i] not in _PREDICATE_ADJECTIVES]
    head = verbs[0] if verbs else (cands[0] if cands else None)
    if head is not None and low[head] == "fight" and head + 1 < len(low) and low[head + 1] == "for":
        head += 1  # "fight for X" supports X
    if head is None or low[head] in _PREDICATE_ADJECTIVES:  # "X is harmful": X is the target
        polarity = _direction(low)
        target = _subject(body)
    else:
        polarity = _direction(low[: head + 1])
        target = _clean_target(body[tokens[head].end():])
        # "the abolition of X", "a ban on X": the object is X, the direction flips once more
        m = re.match(r"^(?:the |a |an )?(abolition|ban|prohibition|end|elimination|banning|"
                     r"restriction|restrictions)\s+(?:of|on)\s+(.*)$", target, re.I)
        if m:
            polarity = -polarity
            target = _clean_target(m.group(2))
        if not target:  # "X should be banned": the subject is the target
            target = _subject(body)
    if not target:
        target = _clean_target(body)
    return Motion(text=motion, target=target or motion, polarity=1 if polarity >= 0 else -1)


def motion_target(motion: str) -> str:
    """The thing the motion is about, e.g. "anti-personnel mines"."""
    return parse_motion(motion).target


@lru_cache(maxsize=512)
def _target_words(target: str) -> frozenset[str]:
    """The target's own words: the sentence's attitude to the target is not in its name."""
    return frozenset(_words(target.replace("-", " "))) - _NEGATORS


# ---------------------------------------------------------------------------------------------
# Lexical features
# ---------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def _stem(w: str) -> str:
    """A crude suffix stripper, enough to match "mines"/"mine", "banned"/"ban"-like variants."""
    if w.endswith(("sses", "xes", "ches", "shes", "zes")) and len(w) > 5:
        return w[:-2]
    for suf in ("ations", "ation", "ings", "ing", "ies", "ied", "ed", "s"):
        if len(w) > len(suf) + 3 and w.endswith(suf) and not w.endswith("ss"):
            return w[: -len(suf)]
    return w


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _words(text.replace("-", " ")) if w not in _STOP and len(w) > 2}


def _overlap(target_words: set[str], words: set[str]) -> float:
    """Share of the target's content words found in `words` ("landmines" counts for "mines")."""
    if not target_words:
        return 0.0
    hits = sum(1 for t in target_words if t in words or (len(t) >= 4 and any(w.endswith(t) for w in words)))
    return hits / len(target_words)


_CASED_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def _proper_names(sentence: str) -> set[int]:
    """Indices (as in `_words`) of capitalised words inside a sentence: names ("United States",
    "Amnesty International") carry no sentiment. The first word, and a word opening a quotation or
    following a colon, are not taken for names."""
    text = sentence.replace("\u2019", "'")
    out = set()
    for i, m in enumerate(_CASED_WORD.finditer(text)):
        w = m.group(0)
        before = text[: m.start()].rstrip()
        if i == 0 or not w[0].isupper() or w.isupper() and len(w) == 1 or before.endswith(
                ('"', "\u201c", ":", ".", "!", "?", "(", "\u2014", "-")):
            continue
        out.add(i)
    return out


_CONCESSION = re.compile(
    r"(?:^|[,;:\u2014]\s*|\bthat\s+)((?:while|although|though|whereas|even though|even if)\b[^,;\u2014]*)", re.I)


def _concessions(sentence: str) -> set[int]:
    """Indices (as in `_words`) of words in a conceded clause: "while X, Y", "although X, Y"."""
    text = sentence.replace("\u2019", "'")
    spans = [m.span(1) for m in _CONCESSION.finditer(text)]
    if not spans:
        return set()
    return {i for i, m in enumerate(_CASED_WORD.finditer(text)) if any(a <= m.start() < b for a, b in spans)}


def lexical_sentiment(sentence: str, ignore: frozenset[str] = frozenset()) -> float:
    """Sentiment in [-1, 1] from VADER valences + debate cues, with negation, reversal by
    decreasing verbs ("reduces crime" > 0), contrast weighting and damped alarm words. Words in
    `ignore` (the motion's target: "anti" in "anti-personnel mines") carry no sentiment."""
    lex = _vader().lexicon
    words = _words(sentence)
    names = _proper_names(sentence)
    conceded = _concessions(sentence)
    total = 0.0
    weight = 1.0
    for i, w in enumerate(words):
        if i in conceded:  # "while alternatives exist, ...": the conceded clause counts less
            if w in _CONTRAST:
                continue
        elif conceded and i - 1 in conceded:
            weight = 1.5  # ... and the main clause after it more
        if w in _CONTRAST and i not in conceded:
            total *= 0.5  # what came before "but" counts less
            weight = 1.5
            continue
        if w in ignore or i in names:
            continue
        val = _DEBATE_CUES.get(w, lex.get(w, 0.0))
        if not val:
            continue
        if w in _DAMPED:
            val *= 0.2
        window = words[max(0, i - 3): i]
        if any(x in _NEGATORS for x in window):
            val *= -0.74
        if any(x in _DECREASERS for x in words[max(0, i - 4): i]):
            val = -val
        total += val * weight * (0.5 if i in conceded else 1.0)
    return total / math.sqrt(total * total + 15.0)


_CLAUSE = re.compile(r"[.;:!?,()]|\b(?:because|since|as|so|but|however|although|though|while|whereas|"
                     r"and then|which|who)\b", re.I)
_MODAL_WORDS = {"should", "must", "ought", "shouldn't", "mustn't", "need", "needs", "shall"}
_NOMINAL_NEG = {"ban", "bans", "banning", "prohibition", "prohibitions", "restriction", "restrictions",
                "abolition", "abolishing", "criminalization", "criminalisation", "elimination", "end",
                "absence", "lack", "outlawing", "repeal", "restricting", "prohibiting", "banned"}


def explicit_statement(sentence: str, target_words: set[str]) -> float:
    """+1/-1 when a clause of the sentence proposes something about the target ("X should not be
    banned", "we must deploy X"): the direction of that proposal towards X; 0 otherwise."""
    for clause in _CLAUSE.split(sentence):
        words = _words(clause)
        modal = next((i for i, w in enumerate(words) if w in _MODAL_WORDS), None)
        if modal is None or not any(_stem(w) in target_words for w in words):
            continue
        head = next((i for i in range(modal + 1, len(words))
                     if words[i] in _POS_DIRECTION or (words[i] in _NEG_DIRECTION and words[i] not in _NEGATORS)),
                    None)
        if head is None:
            continue
        return float(_direction(words[: head + 1]))
    return 0.0


def target_flipped(sentence: str, target_words: set[str]) -> bool:
    """True when the sentence judges a ban/restriction/absence of the target ("a ban on X
    caused ...") rather than the target itself."""
    words = _words(sentence.replace("-", " "))
    for i, w in enumerate(words):
        if w in _NOMINAL_NEG and i + 1 < len(words) and words[i + 1] in {"on", "of"}:
            nxt = [_stem(x) for x in words[i + 2: i + 6]]
            if any(x in target_words or any(len(t) >= 4 and x.endswith(t) for t in target_words)
                   for x in nxt):
                return True
    return False


# ---------------------------------------------------------------------------------------------
# Structural cues: who argues for/against the target, how a sentence treats a ban on the target,
# and whether it says the target is needed. Each is a general rule about argument structure; none
# names a topic. The target is matched by its words (stems, "landmines" for "mines") or, for a
# phrase that shares no word with it, by embedding similarity (see `StanceScorer.score_many`).
# ---------------------------------------------------------------------------------------------
_TOKEN = re.compile(r"[a-z]+|[.,;:!?()\u2014\u2013]")
_BREAKS = set(".,;:!?()\u2014\u2013")
_HARD_BREAKS = set(".;:!?")
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our", "his", "her",
                "any", "such", "existing", "current", "international", "global", "complete", "total"}
_ANAPHORS = {"these", "those", "such", "them", "it", "they"}
# a noun phrase ends at a clause word, an auxiliary or a reporting verb
_NP_END = {
    "that", "which", "who", "whom", "whose", "because", "since", "while", "whereas", "although", "but",
    "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "would", "could", "should",
    "will", "may", "might", "can", "must", "do", "does", "did", "argue", "argues", "argued", "say",
    "says", "said", "cite", "cites", "cited", "claim", "claims", "claimed", "contend", "contends",
    "insist", "insists", "warn", "warns", "warned", "believe", "believes", "suggest", "suggests",
    "to", "as", "if", "when", "than", "from", "due", "despite", "after", "before",
}
# camps: "advocates of X", "critics of X" (the camp's content takes its side)
_CAMP_NOUNS = {
    "advocates": 1, "advocate": 1, "proponents": 1, "proponent": 1, "supporters": 1, "supporter": 1,
    "defenders": 1, "defender": 1, "champions": 1, "champion": 1, "backers": 1, "fans": 1,
    "opponents": -1, "opponent": -1, "critics": -1, "critic": -1, "detractors": -1, "sceptics": -1,
    "skeptics": -1, "foes": -1, "enemies": -1,
}
# "<cue> for X" supports X, "<cue> against X" / "<cue> to X" opposes it
_FOR_CUES = {
    "advocating", "advocated", "advocacy", "call", "calls", "calling", "called", "campaign", "campaigns",
    "campaigning", "campaigned", "campaigners", "campaigner", "lobby", "lobbying", "lobbied", "push",
    "pushing", "pushed", "argue", "argues", "argued", "arguing", "support", "supporting", "fight",
    "fighting", "fought", "vote", "voted", "voting", "demand", "demands", "demanded", "demanding",
    "appetite", "enthusiasm", "backing", "pressing", "pressed",
}
_AGAINST_CUES = {
    "campaign", "campaigns", "campaigning", "campaigned", "campaigners", "campaigner", "activists",
    "protest", "protests", "protested", "protesting", "protesters", "lobby", "lobbying", "lobbied",
    "fight", "fighting", "fought", "argue", "argues", "argued", "arguing", "warn", "warns", "warned",
    "warning", "backlash", "outcry", "opposition", "vote", "voted", "voting", "spoke", "speak",
    "speaks", "speaking", "rally", "rallied", "mobilised", "mobilized", "crusade", "struggle",
    "resistance", "objections", "objection",
}
_TO_AGAINST = {"opposition", "opposed", "objection", "objections", "objected", "resistance", "hostility",
               "hostile", "averse", "aversion", "threat", "danger"}
_THOSE_WHO = {
    "favour": 1, "favor": 1, "support": 1, "back": 1, "advocate": 1, "want": 1, "defend": 1,
    "champion": 1, "endorse": 1, "embrace": 1, "oppose": -1, "reject": -1, "criticise": -1,
    "criticize": -1, "condemn": -1, "resist": -1, "fear": -1, "dislike": -1,
}
# opposition voiced without an object: "drew a backlash", "voiced strong opposition"
_BARE_OPPOSITION = {"backlash", "outcry", "uproar"}
_OPPOSITION_NOUNS = {"opposition", "objections", "protests", "condemnation"}
_OPPOSITION_LEADS = {"voiced", "voice", "voicing", "expressed", "express", "raised", "sparked", "ignited",
                     "drew", "draw", "faced", "face", "facing", "provoked", "provoke", "met", "strong",
                     "fierce", "widespread", "growing", "vocal", "stiff", "elicit", "elicited"}
# bans and norms against something; "the X ban", "a ban on X", "the consensus against X"
_BAN_NOUNS = {"ban", "bans", "prohibition", "prohibitions", "moratorium", "treaty", "treaties",
              "convention", "embargo", "abolition", "criminalisation", "criminalization"}
_NORM_NOUNS = {"consensus", "norm", "norms", "taboo", "stigma", "movement", "law", "laws", "legislation",
               "rules", "coalition"}
_NEGATING_GERUNDS = {"banning", "abandoning", "abolishing", "prohibiting", "outlawing", "eliminating",
                     "phasing", "scrapping", "ending", "renouncing", "stopping", "forbidding", "restricting"}
# relations to such a ban: questioning or leaving it favours X, committing to it opposes X
_LEAVE_BAN = {
    "leave", "leaves", "leaving", "left", "withdraw", "withdraws", "withdrawing", "withdrew", "withdrawal",
    "exit", "exits", "exiting", "quit", "quits", "quitting", "abandon", "abandons", "abandoning",
    "abandoned", "scrap", "scraps", "scrapping", "scrapped", "repeal", "repeals", "repealing", "repealed",
    "lift", "lifts", "lifting", "lifted", "overturn", "overturning", "overturned", "question",
    "questions", "questioning", "questioned", "reconsider", "reconsiders", "reconsidering",
    "reconsidered", "reassess", "reassessing", "rethink", "rethinking", "revisit", "revisiting",
    "renounce", "renouncing", "renounced", "suspend", "suspending", "suspended", "breach", "breaching",
    "ditch", "ditching", "doubts", "doubt", "doubting", "challenge", "challenges", "challenging",
    "loosen", "loosening", "relax", "relaxing", "fracture", "fracturing", "rollback",
}
_KEEP_BAN = {
    "commit", "commits", "committed", "commitment", "commitments", "support", "supports", "supported",
    "supporting", "uphold", "upholds", "upholding", "upheld", "strengthen", "strengthens",
    "strengthening", "adhere", "adheres", "adhering", "adherence", "enforce", "enforces", "enforcing",
    "enforced", "enforcement", "defend", "defends", "defending", "defended", "reaffirm", "reaffirms",
    "reaffirmed", "reaffirming", "respect", "respects", "respecting", "comply", "complying",
    "compliance", "ratify", "ratifies", "ratified", "ratifying", "ratification", "signatory",
    "signatories", "sign", "signed", "signing", "join", "joined", "joining", "advocate", "advocates",
    "advocating", "advocated", "call", "calls", "calling", "campaign", "campaigns", "campaigning",
    "honour", "honor", "honouring", "honoring", "back", "backs", "backing", "backed", "champion",
    "championing", "extend", "extending", "expand", "expanding", "impose", "imposing", "imposed",
    "introduce", "introducing", "maintain", "maintaining", "keep", "keeping", "fight", "fighting",
    "welcome", "welcomed", "endorse", "endorsed", "endorsing",
}
_COLLAPSE = {"fracture", "fractures", "fracturing", "fractured", "crumble", "crumbles", "crumbling",
             "crumbled", "collapse", "collapses", "collapsing", "collapsed", "unravel", "unravels",
             "unravelling", "unraveling", "erode", "erodes", "eroding", "eroded", "weaken", "weakens",
             "weakening", "weakened", "falter", "faltering", "wane", "waning", "splinter", "splintering"}
# necessity of the target: "X is essential", "the necessity to deploy X", "compelled to ... X"
_NEED_CUES = {"necessity", "necessary", "need", "needs", "needed", "require", "requires", "required",
              "requirement", "essential", "vital", "indispensable", "crucial", "compelled", "imperative",
              "urge", "urges", "urged", "urging", "obliged", "forced"}
_NEED_AFTER = {"necessary", "needed", "required", "essential", "vital", "indispensable", "crucial",
               "imperative", "irreplaceable", "necessity", "must"}
_NEED_NOUNS = {"necessity", "need", "needs", "requirement"}
_BECOME = {"becoming", "become", "becomes", "became", "remain", "remains", "remained", "seem", "seems"}
_ADVERBS = {"still", "also", "not", "no", "longer", "absolutely", "really", "so", "very", "more", "most",
            "increasingly", "once", "again", "often", "always", "therefore", "thus", "now", "clearly",
            "urgently", "badly", "desperately", "truly", "simply"}
_EXPLETIVES = {"it", "there", "this", "that", "what"}
_PERSONS = {"you", "we", "they", "i", "he", "she", "everyone", "people"}  # "we are required to use X"
_OBLIGED = {"compelled", "obliged", "forced"}
# "without X", "lack of X": the sentence judges the absence of X
_ABSENCE = {"without", "lacking", "lack", "lacks", "absence", "shortage", "deprived", "losing", "loss"}
_ABSENCE_END = {"that", "which", "who", "is", "are", "was", "were", "would", "will", "could", "can"}
_PREPOSITIONS = {"over", "for", "in", "on", "with", "from", "by", "about", "at", "into", "under",
                 "against", "between", "among", "during", "within"}
_PHRASE_SIM = 0.45  # embedding similarity above which a phrase is taken to denote the target
# A structural cue counts like an explicit policy statement (the fitted `explicit` weight); several
# cues in one sentence add up to at most _CUE_CAP; a cue makes the sentence at least this relevant.
_CUE_WEIGHT = 2.799
_CUE_CAP = 1.5
_CUE_RELEVANCE = 0.5
_HEAD_RELEVANCE = 0.5


@dataclass(frozen=True)
class _Target:
    """The motion's target as stems: `head` is its last content word ("mine" in "anti-personnel
    mines"), `words` all of them. `topical`: the target is a short phrase isolated from a motion, so
    "these weapons", "the treaty" or a bare "backlash" may be taken to refer to it; not when the
    motion did not parse (a claim passed as the motion is its own "target")."""

    words: frozenset[str]
    head: str
    topical: bool = True

    @classmethod
    def of(cls, target: str, motion: str | None = None) -> "_Target":
        stems = [_stem(w) for w in _words(target.replace("-", " ")) if w not in _STOP and len(w) > 2]
        whole = motion is not None and _words(target) == _words(_PREFIXES.sub("", motion))
        return cls(frozenset(stems), stems[-1] if stems else "", topical=len(stems) <= 6 and not whole)


def _tokens(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("'s ", " ").replace("-", " ")
    return _TOKEN.findall(text.replace("'", ""))


def _is_head(word: str, t: _Target) -> bool:
    s = _stem(word)
    return bool(t.head) and (s == t.head or (len(t.head) >= 4 and s.endswith(t.head)))


def _lexical_match(words: Sequence[str], t: _Target) -> int | None:
    """Index of the word of `words` where the target is named (its head word, or half its words)."""
    for i, w in enumerate(words):
        if _is_head(w, t):
            return i
    if len(t.words) >= 2:
        hits = [i for i, w in enumerate(words) if _stem(w) in t.words]
        if len(hits) * 2 >= len(t.words):
            return hits[-1]
    return None


def _noun_phrase(tokens: Sequence[str], start: int, limit: int = 7) -> list[str]:
    out: list[str] = []
    for w in tokens[start: start + limit]:
        if w in _BREAKS or w in _NP_END:
            break
        out.append(w)
    return out


class _Cues:
    """Finds the structural cues of one sentence. `phrase_sim` maps a noun phrase that shares no
    word with the target to its embedding similarity to the target (missing: not the target)."""

    def __init__(self, sentence: str, t: _Target, phrase_sim: dict[str, float] | None = None) -> None:
        self.tokens = _tokens(sentence)
        self.t = t
        self.sim = phrase_sim or {}
        self.unmatched: list[str] = []  # noun phrases that would need an embedding to decide

    # -- does a noun phrase denote the target, and which way does it point? -----------------------
    def refers(self, np_words: Sequence[str]) -> bool:
        if not np_words:
            return False
        if _lexical_match(np_words, self.t) is not None:
            return True
        if self.t.topical and any(w in _ANAPHORS for w in np_words):  # "these weapons": the topic
            return True
        phrase = " ".join(np_words)
        if phrase not in self.sim:
            self.unmatched.append(phrase)
        return self.sim.get(phrase, 0.0) >= _PHRASE_SIM

    def direction(self, np_words: Sequence[str]) -> int:
        """+1 if the phrase names the target ("renewed X use"), -1 if it names its negation ("a ban
        on X"), 0 if it is not about the target."""
        if not self.refers(np_words):
            return 0
        at = _lexical_match(np_words, self.t)
        before = np_words[:at] if at is not None else np_words
        sign = 1
        for w in before:
            if w in _NEG_DIRECTION or w in _BAN_NOUNS or w in _NEGATING_GERUNDS:
                sign = -sign
        return sign

    # -- the rules --------------------------------------------------------------------------------
    def camp(self) -> float:
        """Who is said to argue: "advocates of X argue", "those who oppose X", "opposition to X",
        "campaigners for a ban on X", "drew a backlash"."""
        tk, total = self.tokens, 0.0
        for i, w in enumerate(tk):
            nxt = tk[i + 1] if i + 1 < len(tk) else ""
            sign = 0
            if w in _CAMP_NOUNS and nxt in {"of", "for"}:
                sign = _CAMP_NOUNS[w]
            elif w in _FOR_CUES and nxt == "for":
                sign = 1
            elif w in _AGAINST_CUES and nxt in {"against", "over"}:
                sign = -1
            elif w in _TO_AGAINST and nxt == "to":
                sign = -1
            elif w == "who" and i > 0 and tk[i - 1] in {"those", "people", "others"} and nxt in _THOSE_WHO:
                total += _THOSE_WHO[nxt] * self.direction(_noun_phrase(tk, i + 2))
                continue
            if sign:
                d = self.direction(_noun_phrase(tk, i + 2))
                if d and any(x in _NEGATORS for x in tk[max(0, i - 3): i]):
                    d = -d  # "not advocates of X"
                total += sign * d
            elif (self.t.topical and nxt not in {"to", "against", "over"}
                  and (w in _BARE_OPPOSITION
                       or (w in _OPPOSITION_NOUNS and any(x in _OPPOSITION_LEADS for x in tk[max(0, i - 3): i])))):
                total -= 0.5
        return total

    def _ban_phrases(self) -> list[tuple[int, int]]:
        """(start, end) of phrases that name a ban/norm against the target, or its abandonment."""
        tk, out = self.tokens, []
        for i, w in enumerate(tk):
            nxt = tk[i + 1] if i + 1 < len(tk) else ""
            if ((w in _BAN_NOUNS and nxt in {"on", "of", "against"})
                    or (w in _NORM_NOUNS and nxt == "against")):
                np_words = _noun_phrase(tk, i + 2)
                if self.refers(np_words):
                    out.append((i, i + 2 + len(np_words)))
            elif w in _BAN_NOUNS:
                # "the landmine ban", "the Ottawa Treaty": a named or bare ban is the ban on the target
                mods = []
                j = i - 1
                while j >= 0 and i - j <= 3 and tk[j] not in _BREAKS and tk[j] not in _DETERMINERS:
                    mods.insert(0, tk[j])
                    j -= 1
                has_det = j >= 0 and tk[j] in _DETERMINERS
                if (mods and _lexical_match(mods, self.t) is not None) or (has_det and self.t.topical):
                    out.append((j + 1 if has_det else i - len(mods), i + 1))
            elif w in _NEGATING_GERUNDS:
                np_words = _noun_phrase(tk, i + 1, limit=5)
                if np_words and _lexical_match(np_words, self.t) is not None:
                    out.append((i, i + 1 + len(np_words)))
        return out

    def ban_relation(self) -> float:
        """Leaving, questioning, reconsidering a ban on X (or the ban fracturing) favours X;
        committing to, supporting, upholding it opposes X."""
        tk, total = self.tokens, 0.0
        for s, e in self._ban_phrases():
            rel = 0
            for j in range(s - 1, max(-1, s - 7), -1):  # the nearest relation word before, same clause
                w = tk[j]
                if w in _BREAKS:
                    break
                if w in _LEAVE_BAN or w in _KEEP_BAN:
                    rel = -1 if w in _LEAVE_BAN else 1
                    if any(x in _NEGATORS or x == "non" for x in tk[max(0, j - 3): j]):
                        rel = -rel  # "not a signatory to the ban", "no plans to leave the treaty"
                    break
            if not rel:  # "... the consensus against X is beginning to fracture", "... called into question"
                for j in range(e, min(len(tk), e + 24)):
                    w = tk[j]
                    if w in _HARD_BREAKS or w in _CONTRAST:
                        break
                    if w in _COLLAPSE or (w == "into" and j + 1 < len(tk) and tk[j + 1] == "question"):
                        rel = -1
                        break
            total -= rel  # the phrase is against X: supporting it opposes X
        return total

    def necessity(self) -> float:
        """"the necessity for forces to deploy X", "require X", "X is becoming essential": +1
        (times the direction of what is needed, e.g. "need to ban X" -1; negated "no need")."""
        tk, total = self.tokens, 0.0
        for i, w in enumerate(tk):
            if w not in _NEED_CUES:
                continue
            if w in _NEED_AFTER and i + 1 < len(tk) and tk[i + 1] == "for" and w not in _NEED_NOUNS:
                continue  # "reservoirs required for X": X is what needs, not what is needed
            j = i - 1
            while j >= 0 and tk[j] in _ADVERBS:
                j -= 1
            if (j >= 0 and (tk[j] in _COPULAS or tk[j] in _BECOME) and w not in _OBLIGED
                    and (j == 0 or tk[j - 1] not in _EXPLETIVES | _PERSONS)):
                continue  # "regulation is required to make markets work": the subject is what is needed
            span = []
            for j in range(i + 1, min(len(tk), i + 15)):
                if tk[j] in _BREAKS:
                    break
                span.append(tk[j])
            at = _lexical_match(span, self.t)
            if at is None:
                continue
            d = _direction(span[:at] + [x for x in span[at + 1: at + 5] if x not in _NEGATORS])
            if any(x in _NEGATORS for x in tk[max(0, i - 3): i]):
                d = -d
            total += d
        for i, w in enumerate(tk):  # "X is (once again becoming) essential"
            if w not in _NEED_AFTER:
                continue
            span = []
            for j in range(i - 1, max(-1, i - 8), -1):
                if tk[j] in _BREAKS:
                    break
                span.insert(0, tk[j])
            at = _lexical_match(span, self.t)
            if at is None or not any(x in _COPULAS or x in _BECOME for x in span[at + 1:]):
                continue
            total += -1 if any(x in _NEGATORS for x in span[at + 1:]) else 1
        return total

    def features(self) -> dict[str, float]:
        return {"camp": self.camp(), "ban_relation": self.ban_relation(), "necessity": self.necessity(),
                "absence": 1.0 if self.absence() else 0.0}

    def collect(self) -> list[str]:
        """The noun phrases whose reference to the target only an embedding can decide."""
        self.features()
        return self.unmatched

    def absence(self) -> bool:
        """"without X", "lack of X", "lacking X": the sentence judges the absence of X."""
        tk = self.tokens
        for i, w in enumerate(tk):
            if w not in _ABSENCE:
                continue
            span = []
            for j in range(i + 1, min(len(tk), i + 9)):
                if tk[j] in _BREAKS or tk[j] in _ABSENCE_END or (tk[j] in _PREPOSITIONS and j > i + 1):
                    break  # "lack controls over their weapons": the weapons are not what is lacking
                span.append(tk[j])
            if _lexical_match(span, self.t) is not None:
                return True
        return False


def structural_cues(sentence: str, target: str,
                    phrase_sim: dict[str, float] | None = None) -> dict[str, float]:
    """The structural cue features of a sentence towards `target` (not the motion): `camp`,
    `ban_relation`, `necessity` (each summed over matches, > 0 favours the target) and `absence`
    (1.0 when the sentence talks about the lack of the target)."""
    return _Cues(sentence, _Target.of(target), phrase_sim).features()


# ---------------------------------------------------------------------------------------------
# Scorer
# ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class StanceResult:
    value: float  # [-1, 1]: > 0 supports the motion, < 0 opposes it
    relevance: float  # [0, 1]: how much the sentence is about the motion's target
    reason: str
    features: dict[str, float] = field(default_factory=dict, compare=False)


class StanceScorer:
    """Scores sentences for stance towards a motion. `embedder` defaults to the packaged MiniLM."""

    def __init__(self, embedder: Embedder | None = None) -> None:
        self.embedder = embedder if embedder is not None else get_embedder("all-MiniLM-L6-v2")
        protos = self.embedder.embed(list(_PRO_PROTOTYPES) + list(_CON_PROTOTYPES))
        pro, con = protos[: len(_PRO_PROTOTYPES)].mean(0), protos[len(_PRO_PROTOTYPES):].mean(0)
        self._direction = (pro - con).astype(np.float32)
        self._offset = float((pro + con) @ self._direction / 2.0)

    def score(self, sentence: str, motion: str) -> StanceResult:
        return self.score_many([sentence], motion)[0]

    def score_many(self, sentences: Sequence[str], motion: str) -> list[StanceResult]:
        """Scores for many sentences against one motion (one embedding call)."""
        if not sentences:
            return []
        m = parse_motion(motion)
        target = _Target.of(m.target, m.text)
        # noun phrases in cue positions that share no word with the target ("a ban on condoms" for
        # "barrier methods of contraception"): decided by embedding, in the same single call
        phrases = sorted({p for s in sentences for p in _Cues(s, target).collect()})
        vecs = self.embedder.embed([m.target, m.text, *sentences, *phrases])
        svecs = vecs[2: 2 + len(sentences)]
        phrase_sim = {p: float(v @ vecs[0]) for p, v in zip(phrases, vecs[2 + len(sentences):])}
        sims = np.maximum(svecs @ vecs[0], svecs @ vecs[1])  # like the target or the whole motion
        protos = svecs @ self._direction - self._offset
        twords = _content(m.target)
        vader = _vader()
        out = []
        for sent, sim, proto in zip(sentences, sims, protos):
            cues = _Cues(sent, target, phrase_sim).features()
            out.append(self._combine(sent, m, twords, float(sim), float(proto),
                                     vader.polarity_scores(sent)["compound"], cues))
        return out

    def _combine(self, sentence: str, m: Motion, twords: set[str], sim: float, proto: float,
                 vader: float, cues: dict[str, float]) -> StanceResult:
        overlap = _overlap(twords, _content(sentence))
        if overlap and _lexical_match(_tokens(sentence), _Target.of(m.target, m.text)) is not None:
            overlap = max(overlap, _HEAD_RELEVANCE)  # it names the target's head noun ("landmines")
        semantic = min(1.0, max(0.0, (sim - 0.15) / 0.45))
        relevance = max(overlap, semantic)
        feats = {
            "lexical": lexical_sentiment(sentence, _target_words(m.target)),
            "vader": vader,
            "proto": proto,
            "explicit": explicit_statement(sentence, twords),
            **cues,
        }
        flip = -1.0 if target_flipped(sentence, twords) else 1.0
        if cues["absence"]:
            flip = -flip  # "without X, ... would risk ...": bad news about the absence of X favours X
        cue = max(-_CUE_CAP, min(_CUE_CAP, cues["camp"] + cues["ban_relation"] + cues["necessity"]))
        if cues["ban_relation"] or cues["necessity"] or abs(cues["camp"]) >= 1:
            relevance = max(relevance, _CUE_RELEVANCE)  # it is about the target, perhaps by anaphora
        z = (_BIAS + flip * sum(_WEIGHTS[k] * feats[k] for k in _SENTIMENT)
             + _WEIGHTS["explicit"] * feats["explicit"] + _CUE_WEIGHT * cue)
        signed = m.polarity * z
        # damp sentences that are not about the motion: keep the sign, shrink the magnitude
        value = math.tanh(signed) * (0.1 + 0.9 * relevance)
        feats.update(relevance=relevance, flip=flip, cue=cue, motion_polarity=float(m.polarity))
        return StanceResult(round(max(-1.0, min(1.0, value)), 4), round(relevance, 4),
                            _reason(m, feats, value), feats)


def _reason(m: Motion, f: dict[str, float], value: float) -> str:
    if f["relevance"] < 0.2:
        about = "barely about"
    elif f["relevance"] < 0.5:
        about = "partly about"
    else:
        about = "about"
    if abs(value) < 0.05 or f["relevance"] < 0.15:
        return f"neutral or unrelated; {about} {m.target!r}"
    tone = "positive" if f["lexical"] + f["vader"] + 20 * f["proto"] >= 0 else "negative"
    if f["flip"] < 0:
        tone += " about restricting it"
    if f.get("cue"):
        kinds = [k.replace("_", " ") for k in ("camp", "ban_relation", "necessity") if f.get(k)]
        tone = f"{'/'.join(kinds)} cue " + ("for" if f["cue"] > 0 else "against") + " it"
    if f["explicit"]:
        tone = "states a policy " + ("for" if f["explicit"] > 0 else "against") + " it"
    side = "supports" if value > 0 else "opposes"
    verb = "favours" if m.polarity > 0 else "opposes"
    return f"{side} the motion: {about} {m.target!r}, {tone}; the motion {verb} {m.target!r}"
