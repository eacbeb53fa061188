"""Claim checks with citations: every atomic claim judged against candidate sentences, the verdicts
combined (any contradicted part makes the whole contradicted or partly supported, never supported)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, Field

from debatebot.core.embedding import Embedder
from debatebot.core.errors import InputError
from debatebot.core.lang import NUMBER_WORDS, QUANT_SOME, STOPWORDS
from debatebot.core.text import SourceDocument
from debatebot.core.verdicts import ClaimVerdict
from debatebot.verify.claims.limits import ENTAIL_MIN, EXTRA_EVIDENCE, PARTLY_ENTAIL
from debatebot.verify.claims.rank import rank_evidence
from debatebot.verify.claims.split import split_claim
from debatebot.verify.claims.tokens import TextTokens, claim_words, matched_words
from debatebot.verify.claims.verdict import Judgement, judge
from debatebot.verify.reported import reported_speech, with_speaker_named
from debatebot.verify.speakers import (
    Attribution,
    attribute,
    is_pronoun,
    named_in_text,
    same_speaker,
    speaker_kind,
)


@dataclass(frozen=True)
class EvidenceCandidate:
    """A candidate evidence sentence: `text` is exactly document[start:end] of document `doc`."""

    text: str
    doc: str
    start: int
    end: int


class EvidenceQuote(BaseModel):
    text: str
    doc: str
    start: int
    end: int


class AtomicCheck(BaseModel):
    text: str
    verdict: ClaimVerdict
    evidence: list[EvidenceQuote] = Field(default_factory=list)
    reason: str
    score: float = Field(default=0.0, exclude=True, description="Support score in [0, 1] (not serialised)")


class ClaimCheck(BaseModel):
    verdict: ClaimVerdict
    claims: list[AtomicCheck] = Field(default_factory=list)
    combination: dict = Field(default_factory=dict, description="The rules' verdict, and the learned "
                              "combination's features and probabilities when it read the claim")

    def to_json(self) -> dict[str, object]:
        return self.model_dump(mode="json")


def combine_verdicts(verdicts: Sequence[str]) -> ClaimVerdict:
    """all supported -> supported; any contradicted -> contradicted; nothing found -> not_in_sources;
    otherwise partly_supported."""
    if not verdicts or all(v == "not_in_sources" for v in verdicts):
        return "not_in_sources"
    if any(v == "contradicted" for v in verdicts):
        return "contradicted"
    if all(v == "supported" for v in verdicts):
        return "supported"
    return "partly_supported"


def _with_names_and_numbers(claim: str, top: list[int], texts: list[str], order: list[int],
                            extra: int) -> list[int]:
    """`top` plus up to `extra` further candidates (in rank order) that hold a claim name or number
    the top sentences lack: a date or a name is often stated in another sentence of the source."""
    c = TextTokens.of(claim)
    words = [w for w in claim_words(c) if w.entity or w.token.number is not None]
    out = list(top)
    for w in words:
        if len(out) >= len(top) + extra:
            break
        if any(matched_words([w], TextTokens.of(texts[i]), c)[0] for i in out):
            continue
        for i in order:
            if i not in out and matched_words([w], TextTokens.of(texts[i]), c)[0]:
                out.append(i)
                break
    return out


def _speaker_verdict(speaker: str, j: Judgement, stating: list[Attribution], known: bool,
                     mentioned: bool) -> Judgement:
    """A claim that reports speech ("X said Y"), its words Y judged supported as `j`, against who
    says each source sentence that states Y (`stating`, best first). Kept when one of them is X's
    or names X ("Y, said A, spokeswoman for X"); misattributed (contradicted) only when X is a
    person the sources name (`known`), nowhere in those sentences (`mentioned`), and the best one
    names another person as its speaker in so many words (not by a pronoun, not from a nearby
    passage); otherwise partly supported. Hand-written: who says a sentence is the speaker
    finder's exact work on the document, which the judge does not see; a false "misattributed" is
    what a journalist can least afford, so every doubt keeps it out."""
    if j.verdict != "supported":
        return j
    match = next((a.speaker for a in stating if a.speaker and same_speaker(speaker, a.speaker)), None)
    if match or mentioned:
        return Judgement(j.verdict, j.evidence, f"{j.reason} The source gives these words to “{match or speaker}”, as "
                         "the claim does.", j.score, j.details | {"speaker": match or speaker})
    best = stating[0] if stating else None
    if (best and best.speaker and known and speaker_kind(speaker) == "person" and best.kind == "person"
            and best.mention and not is_pronoun(best.mention) and best.method != "passage_speaker"):
        return Judgement("contradicted", j.evidence, f"The source attributes these words to {best.speaker}, not "
                         f"{speaker}.", 0.0, j.details | {"check": "speaker", "speaker": best.speaker})
    who = f"gives these words to {best.speaker}" if best and best.speaker else "does not say who said this"
    return Judgement("partly_supported", j.evidence, f"{j.reason} The source {who}, not that {speaker} said it.",
                     j.score, j.details | {"check": "speaker"})


def _reported(claim: str) -> tuple[str, str] | None:
    """The claim's speech frame when it holds for the whole claim: "X said A and B" (not "X said
    A, and Z said B", whose parts carry their own speakers), with words left to check."""
    whole = reported_speech(claim)
    if whole is None or not claim_words(TextTokens.of(whole[1])):
        return None
    parts = split_claim(claim)
    if len(parts) > 1 and any(reported_speech(p) for p in parts[1:]):
        return None
    return whole


def _attribution(doc: SourceDocument | None, c: EvidenceCandidate) -> Attribution | None:
    """Who says a candidate sentence, by the speaker finder (None without its document)."""
    return attribute(doc, c.start, c.end) if doc is not None else None


_LEADING_NAME = re.compile(r"^(?:The\s+)?((?:[A-Z][\w'\-]+)(?:\s+[A-Z][\w'\-]+)*)")


def unnamed_subject(claim: str, docs: Mapping[str, SourceDocument]) -> str | None:
    """The name a claim opens with ("France plans...", "The Bundestag voted...") when no document
    mentions any word of it (in any case, by its first five letters: "Swedish" for "Sweden"): the
    claim is about something the sources do not name, and is not to be judged from another one's
    sentence. Quantities, numbers and function words before the name ("Most", "Twelve") do not
    count. Hand-written: whether a string occurs is exact work."""
    m = _LEADING_NAME.match(claim.strip())
    if not m or not docs:
        return None
    words = [w for w in m.group(1).split() if w.lower() not in STOPWORDS and w.lower() not in QUANT_SOME
             and not w.lower().endswith("ly") and not TextTokens.of(w).numbers
             and not any(p.lower() in NUMBER_WORDS for p in w.split("-"))]
    if not words:
        return None
    texts = [d.text.lower() for d in docs.values()]
    if any(re.split(r"[-']", w)[0][:5].lower() in t for w in words for t in texts):
        return None
    return " ".join(words)


def check_claim(claim: str, candidates: list[EvidenceCandidate], embedder: Embedder | None = None,
                *, k: int = 5, vectors: np.ndarray | None = None,
                docs: Mapping[str, SourceDocument] | None = None) -> ClaimCheck:
    """Split `claim`, rank `candidates` for each atomic claim, judge it, and combine the verdicts.

    Each atomic claim is judged on its `k` best candidates plus up to EXTRA_EVIDENCE candidates that
    hold one of its names or numbers. Candidate doc/start/end pass through unchanged into the
    evidence quotes. `vectors` may carry the candidates' precomputed unit embeddings. With the
    candidates' documents (`docs`), the judge reads each sentence with its speaker named where the
    source says "he said" (`with_speaker_named`), and a claim that reports speech ("X said Y") has
    its words judged and its speaker checked (`_speaker_verdict`)."""
    # reported speech ("X said A and B"): the words are split, each part keeps the speaker (the frame
    # is not a clause of its own: "X said the mix of A" / "B is" would be no claim X made)
    subject = unnamed_subject(claim, docs) if docs else None
    if subject:  # no combination: nothing was judged
        return ClaimCheck(verdict="not_in_sources", claims=[AtomicCheck(
            text=claim, verdict="not_in_sources", evidence=[],
            reason=f"The sources never mention {subject}: they say nothing about this claim's subject.")],
            combination={"rule": "not_in_sources", "check": "subject"})
    whole = _reported(claim) if docs else None
    parts = [p for p in split_claim(whole[1] if whole else claim) if claim_words(TextTokens.of(p))]
    if not parts:
        raise InputError("The claim has nothing to check.", hint="Type a complete claim.")
    def doc_of(c: EvidenceCandidate) -> SourceDocument | None:
        return docs.get(c.doc) if docs else None

    # what the judge reads: the sentence, its speaker named where the source says "he said"
    texts = [with_speaker_named(d, c.start, c.end) if (d := doc_of(c)) else c.text for c in candidates]
    if embedder is not None and vectors is None and texts:
        vectors = embedder.embed(texts)
    source_numbers = set().union(*(TextTokens.of(t).numbers for t in texts)) if texts else set()
    checks: list[AtomicCheck] = []
    judged: list[dict] = []  # what the combination reads of each part
    part_vectors = embedder.embed(parts) if embedder is not None and texts else None
    for n, part in enumerate(parts):
        q = part_vectors[n] if part_vectors is not None else None
        order = rank_evidence(part, texts, embedder, len(texts), vectors=vectors, claim_vector=q)
        top = _with_names_and_numbers(part, order[:k], texts, order, EXTRA_EVIDENCE)
        sims = np.asarray(vectors)[top] @ q if q is not None and top else None
        reported = (whole[0], part) if whole else _reported(part) if docs else None  # (speaker, words)
        j = judge(reported[1] if reported else part, [texts[i] for i in top], sims=sims,
                  source_numbers=source_numbers)
        if reported and j.evidence:  # who says the sentences that state the words?
            ent: list = j.details.get("entailment") or []  # type: ignore[assignment]
            rows = sorted((i for i in range(len(ent)) if float(ent[i]) >= PARTLY_ENTAIL), key=lambda i: -float(ent[i]))
            # the sentences that state the words: those the judge entails them from, else the closest one (a
            # sentence by the claimed speaker that shares a few words is not where the source says them)
            rows = [i for i in rows if float(ent[i]) >= ENTAIL_MIN] or rows[:1]
            stating = [a for i in rows if (a := _attribution(doc_of(candidates[top[i]]), candidates[top[i]]))]
            surname = reported[0].split()[-1]
            # a person the sources name: capitalised in mid-sentence there ("researchers" is no one)
            known = any(named_in_text(d.text, surname) for d in (docs or {}).values())
            # named in a sentence that states the words ("Y, said A, spokeswoman for X")
            mentioned = any(surname in candidates[top[i]].text for i in rows)
            j = _speaker_verdict(reported[0], j, stating, known, mentioned)
        quotes = [EvidenceQuote(text=candidates[top[i]].text, doc=candidates[top[i]].doc,
                                start=candidates[top[i]].start, end=candidates[top[i]].end) for i in j.evidence]
        shown = (claim if len(parts) == 1 else f"{whole[0]} said: {part}") if whole else part
        checks.append(AtomicCheck(text=shown, verdict=j.verdict, evidence=quotes, reason=j.reason, score=j.score))
        words_ = reported[1] if reported else part
        ct = TextTokens.of(words_)
        names = [w for w in claim_words(ct) if w.entity and (w.token.pos > 0 or w.token.surface.lower()
                                                              not in QUANT_SOME)]  # "Germany has...", not "Most"
        shown_texts = [TextTokens.of(texts[top[i]]) for i in j.evidence]
        named = all(any(matched_words([w], t, ct)[0] for t in shown_texts) for w in names) if shown_texts else False
        judged.append({"verdict": j.verdict, "entailment": j.details.get("entailment"),
                       "contradiction": j.details.get("contradiction"), "coverage": j.details.get("coverage", 0.0),
                       "check": j.details.get("check"), "named": named})
    return combined(checks, judged, reported=whole is not None)


def combined(checks: list[AtomicCheck], judged: list[dict], reported: bool) -> ClaimCheck:
    """The claim's verdict: the parts' verdicts combined by rule (`combine_verdicts`), then read with
    the judge's numbers by the learned combination when it is shipped (`combiner.py`: it may lower a
    verdict, never raise one to supported)."""
    from debatebot.verify.claims.combiner import CONTRA_SEEN, FEATURES, features, get_combiner

    rule = combine_verdicts([c.verdict for c in checks])
    x = features(rule, judged, reported)
    info: dict = {"rule": rule, "features": dict(zip(FEATURES, (round(float(v), 4) for v in x)))}
    model = get_combiner()
    if model is None:
        return ClaimCheck(verdict=rule, claims=checks, combination=info)
    # grounds for a learned "contradicted": a part not supported whose evidence names what it names and
    # that the judge reads as contradicting it somewhat; never a speaker the finder was unsure of
    grounds = any(p["verdict"] != "supported" and p["named"] and p.get("check") != "speaker"
                  and max(p.get("contradiction") or [0.0]) >= CONTRA_SEEN for p in judged)
    verdict, probs = model.verdict(rule, x, grounds)
    info["grounds"] = grounds
    info["probabilities"] = {k: round(v, 4) for k, v in probs.items()}
    return ClaimCheck(verdict=verdict, claims=checks, combination=info)
