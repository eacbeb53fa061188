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
     good), contrast ("..., but ...": the clause after weighs more) and damped alarm words
     ("terrifying" in an argument usually describes the urgency of a threat, not the target);
   - `proto`: projection of the sentence embedding on a sentiment direction built from a few
     generic good-vs-bad prototype sentences (written here, not taken from any data set).
3. `explicit`: a sentence that itself states a policy ("X should not be banned") gets the
   polarity of its own statement when it is about the motion's target.
4. `flip`: a sentence that talks about "a ban on <target>" judges the ban, not the target.
5. The signals are combined linearly; the three weights were fitted once by logistic regression
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


def lexical_sentiment(sentence: str) -> float:
    """Sentiment in [-1, 1] from VADER valences + debate cues, with negation, reversal by
    decreasing verbs ("reduces crime" > 0), contrast weighting and damped alarm words."""
    lex = _vader().lexicon
    words = _words(sentence)
    total = 0.0
    weight = 1.0
    for i, w in enumerate(words):
        if w in _CONTRAST:
            total *= 0.5  # what came before "but" counts less
            weight = 1.5
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
        total += val * weight
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
            if any(x in target_words for x in nxt):
                return True
    return False


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
        vecs = self.embedder.embed([m.target, m.text, *sentences])
        svecs = vecs[2:]
        sims = np.maximum(svecs @ vecs[0], svecs @ vecs[1])  # like the target or the whole motion
        protos = svecs @ self._direction - self._offset
        twords = _content(m.target)
        vader = _vader()
        out = []
        for sent, sim, proto in zip(sentences, sims, protos):
            out.append(self._combine(sent, m, twords, float(sim), float(proto),
                                     vader.polarity_scores(sent)["compound"]))
        return out

    def _combine(self, sentence: str, m: Motion, twords: set[str], sim: float, proto: float,
                 vader: float) -> StanceResult:
        overlap = _overlap(twords, _content(sentence))
        semantic = min(1.0, max(0.0, (sim - 0.15) / 0.45))
        relevance = max(overlap, semantic)
        feats = {
            "lexical": lexical_sentiment(sentence),
            "vader": vader,
            "proto": proto,
            "explicit": explicit_statement(sentence, twords),
        }
        flip = -1.0 if target_flipped(sentence, twords) else 1.0
        z = _BIAS + flip * sum(_WEIGHTS[k] * feats[k] for k in _SENTIMENT) + _WEIGHTS["explicit"] * feats["explicit"]
        signed = m.polarity * z
        # damp sentences that are not about the motion: keep the sign, shrink the magnitude
        value = math.tanh(signed) * (0.1 + 0.9 * relevance)
        feats.update(relevance=relevance, flip=flip, motion_polarity=float(m.polarity))
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
    if f["explicit"]:
        tone = "states a policy " + ("for" if f["explicit"] > 0 else "against") + " it"
    side = "supports" if value > 0 else "opposes"
    verb = "favours" if m.polarity > 0 else "opposes"
    return f"{side} the motion: {about} {m.target!r}, {tone}; the motion {verb} {m.target!r}"
