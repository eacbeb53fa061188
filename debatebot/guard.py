"""The citation guard: every quotation shown is checked against the passage it cites.

`guard_quotes` keeps a quotation only when it is verbatim in its cited passage (after straightening
quotes and dashes, collapsing whitespace and ignoring the case of the first letter), and then
replaces its text with the exact source slice and offsets. A near miss (one clear best window in
the cited passage, rapidfuzz score >= FUZZY_MIN) is replaced by the exact source text with a notice;
anything else is removed with a notice, as is a citation of a passage that was not retrieved.

`check_markdown_quotes` / `flag_unverified_quotes` do the same for text in quotation marks inside an
answer's prose. Everything here is deterministic and works on passage-sized text (fast)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz

from .models import Passage, Point, Quote
from .text import SourceDocument, normalize, normalize_with_map

FUZZY_MIN = 90.0  # partial_ratio score a near miss needs (0-100)
FUZZY_FULL_MIN = 85.0  # full ratio of the quote against the snapped source window
AMBIGUITY_MARGIN = 8.0  # the best window must beat any other window by this much
MIN_FUZZY_CHARS = 20  # shorter quotations must match exactly (after normalisation)
SNAP_CHARS = 14  # how far window edges may move to reach word boundaries

Status = Literal["exact", "normalized", "repaired", "removed", "unknown_passage"]

_OPEN_CLOSE = "\"\u201c\u201d\u201e\u00ab\u00bb"
_SINGLE = "'\u2018\u2019"
_ELLIPSIS = re.compile(r"^(?:\.{3}|\u2026|\[\.{3}\]|\[\u2026\])\s*|\s*(?:\.{3}|\u2026|\[\.{3}\]|\[\u2026\])$")
_TRAILING_PUNCT = ".,;:"


@dataclass(frozen=True)
class Match:
    start: int  # offsets in the document's original text
    end: int
    status: Literal["exact", "normalized", "repaired"]
    score: float = 100.0


@dataclass
class QuoteCheck:
    """What the guard did with one quotation."""

    status: Status
    original: str
    passage: str | None
    quote: Quote | None = None  # the verified quote (None when removed)
    score: float = 0.0


@dataclass
class GuardResult:
    points: list[Point]
    notices: list[str] = field(default_factory=list)
    checks: list[QuoteCheck] = field(default_factory=list)

    def count(self, *statuses: Status) -> int:
        return sum(1 for c in self.checks if c.status in statuses)

    @property
    def summary(self) -> dict[str, int]:
        return {
            "verified": self.count("exact", "normalized"),
            "repaired": self.count("repaired"),
            "removed": self.count("removed", "unknown_passage"),
        }


# ---------------------------------------------------------------------------------------------
# Locating one quotation in one region of a document
# ---------------------------------------------------------------------------------------------
def clean_quote(text: str) -> str:
    """The quotation without surrounding whitespace, quotation marks and leading/trailing ellipses."""
    t = text.strip()
    for _ in range(3):
        before = t
        t = _ELLIPSIS.sub("", t).strip()
        if t[:1] in _OPEN_CLOSE:
            t = t[1:]
        if t[-1:] in _OPEN_CLOSE:
            t = t[:-1]
        if len(t) >= 2 and t[0] in _SINGLE and t[-1] in _SINGLE:
            t = t[1:-1]
        t = t.strip()
        if t == before:
            break
    return t


def _squeeze_dashes(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Drop spaces next to '-' so "war - time" and "war—time" compare equal; offsets follow."""
    chars: list[str] = []
    offs: list[int] = []
    for i, c in enumerate(text):
        if c == " " and ((chars and chars[-1] == "-") or (i + 1 < len(text) and text[i + 1] == "-")):
            continue
        chars.append(c)
        offs.append(offsets[i])
    return "".join(chars), offs


def _find_normalized(region: str, quote: str) -> tuple[int, int, bool] | None:
    """(start, end, changed) of `quote` in `region` up to quote/dash/space/first-letter-case normalisation."""
    i = region.find(quote)
    if i >= 0:
        return i, i + len(quote), False
    nr = normalize_with_map(region)
    nq = normalize(quote)
    if not nq:
        return None
    texts = [(nr.text, nr.offsets)]
    if "-" in nq or "-" in nr.text:
        squeezed, offs = _squeeze_dashes(nr.text, nr.offsets)
        texts.append((squeezed, offs))
        nq_sq = _squeeze_dashes(nq, list(range(len(nq))))[0]
    for n, (text, offs) in enumerate(texts):
        q = nq if n == 0 else nq_sq
        candidates = [q] + ([q[0].swapcase() + q[1:]] if q[0].isalpha() else [])
        for c in candidates:
            j = text.find(c)
            if j >= 0:
                return offs[j], offs[j + len(c) - 1] + 1, True
    return None


def _word_starts(text: str, lo: int, hi: int) -> list[int]:
    return [i for i in range(max(0, lo), min(len(text), hi) + 1)
            if i < len(text) and text[i] != " " and (i == 0 or text[i - 1] == " " or not text[i - 1].isalnum())
            and text[i].isalnum()]


def _word_ends(text: str, lo: int, hi: int) -> list[int]:
    return [e for e in range(max(1, lo), min(len(text), hi) + 1)
            if text[e - 1] != " " and (e == len(text) or text[e] == " " or not text[e].isalnum())
            and (text[e - 1].isalnum() or text[e - 1] in "\"'!?.)")]


def _fuzzy(region: str, quote: str) -> tuple[int, int, float] | None:
    """One clear best near-verbatim window of `quote` in `region`, or None (absent or ambiguous)."""
    nr = normalize_with_map(region, casefold=True)
    nq = normalize(quote, casefold=True)
    if len(nq) < MIN_FUZZY_CHARS or len(nq) > len(nr.text) + 2:
        return None
    best = fuzz.partial_ratio_alignment(nq, nr.text, score_cutoff=FUZZY_MIN)
    if best is None:
        return None
    ds, de = best.dest_start, best.dest_end
    masked = nr.text[:ds] + "\x00" * (de - ds) + nr.text[de:]
    if fuzz.partial_ratio(nq, masked) > best.score - AMBIGUITY_MARGIN:
        return None  # two places fit about as well: do not guess which one was meant
    # the window can be shorter than the quote at the region's edges: look around both estimates
    n = len(nq)
    starts = _word_starts(nr.text, min(ds, de - n) - SNAP_CHARS, ds + SNAP_CHARS) or [ds]
    ends = _word_ends(nr.text, min(de, ds + n) - SNAP_CHARS, max(de, ds + n) + SNAP_CHARS) or [de]
    scored = [(fuzz.ratio(nq, nr.text[s:e]), -abs((e - s) - len(nq)), -s, s, e)
              for s in starts for e in ends if e - s >= len(nq) // 2]
    if not scored:
        return None
    score, _, _, s, e = max(scored)
    if score < FUZZY_FULL_MIN:
        return None
    a, b = nr.span(s, e)
    return a, b, float(best.score)


def locate(quote: str, doc: SourceDocument, start: int, end: int, *, fuzzy: bool = True) -> Match | None:
    """Where `quote` is in `doc.text[start:end]`: verbatim, normalised, or (if `fuzzy`) a clear near miss."""
    region = doc.text[start:end]
    q = clean_quote(quote)
    if not q:
        return None
    variants = [q]
    if q[-1] in _TRAILING_PUNCT and len(q) > 1:
        variants.append(q.rstrip(_TRAILING_PUNCT).rstrip())  # "..., he said" quoted as "...."
    for v in variants:
        found = _find_normalized(region, v)
        if found:
            a, b, changed = found
            return Match(start + a, start + b, "normalized" if changed or v != quote else "exact")
    if fuzzy:
        near = _fuzzy(region, q)
        if near:
            a, b, score = near
            return Match(start + a, start + b, "repaired", score)
    return None


# ---------------------------------------------------------------------------------------------
# The guard over points
# ---------------------------------------------------------------------------------------------
def _short(text: str, n: int = 90) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1].rstrip() + "…"


def passage_lookup(passages: list[Passage]) -> dict[str, Passage]:
    """Passages by id, and by their prompt label "P1", "P2"... (position in the list, 1-based)."""
    table: dict[str, Passage] = {}
    for i, p in enumerate(passages, 1):
        table.setdefault(f"P{i}", p)
    for p in passages:
        table[p.id] = p  # a real id wins over a positional label
    return table


def guard_quotes(points: list[Point], passages: list[Passage], docs: dict[str, SourceDocument], *,
                 refs: dict[str, Passage] | None = None, fuzzy: bool = True,
                 drop_unsupported_points: bool = True) -> GuardResult:
    """Check every quotation of `points` against the passage its `passage_id` names.

    `passage_id` is looked up in `refs` when given (e.g. the prompt labels "P1".. of an LLM call),
    else by passage id or positional label (`passage_lookup`). Verified quotes get the real passage id.

    A quote without `passage_id` is checked against its own `doc` (exact offsets, else searched in the
    whole document). Returns new points (inputs are not modified): verified quotes carry the exact
    source text and offsets; points whose every quotation was removed are dropped when
    `drop_unsupported_points` (a claim with no surviving evidence is not shown as evidenced)."""
    table = refs if refs is not None else passage_lookup(passages)
    result = GuardResult(points=[])
    for point in points:
        kept: list[Quote] = []
        for q in point.quotes:
            check = _check_one(q, table, docs, fuzzy=fuzzy)
            result.checks.append(check)
            if check.quote is not None:
                kept.append(check.quote)
            notice = _notice(check)
            if notice:
                result.notices.append(notice)
        if kept or not point.quotes or not drop_unsupported_points:
            result.points.append(point.model_copy(update={"quotes": kept}))
        else:
            result.notices.append(f"Removed the point “{_short(point.claim, 70)}”: none of its quotations is in the sources.")
    return result


def _check_one(q: Quote, table: dict[str, Passage], docs: dict[str, SourceDocument], *, fuzzy: bool) -> QuoteCheck:
    ref = q.passage_id
    passage = table.get(ref) if ref else None
    if ref and passage is None:
        return QuoteCheck("unknown_passage", q.text, ref)
    doc_id = passage.doc if passage is not None else q.doc
    doc = docs.get(doc_id)
    if doc is None:
        return QuoteCheck("removed", q.text, ref)
    lo, hi = (passage.start, passage.end) if passage is not None else (0, len(doc.text))
    # fast path: already an exact slice inside the cited region (offline engine quotes)
    if 0 <= q.start < q.end <= len(doc.text) and q.doc == doc_id and doc.text[q.start:q.end] == q.text \
            and q.start < hi and q.end > lo:
        return QuoteCheck("exact", q.text, ref, q.model_copy(), 100.0)
    if passage is None:  # no passage cited: verbatim anywhere in its own document, never fuzzy
        m = locate_in_document(q.text, doc)
    else:
        m = locate(q.text, doc, lo, hi, fuzzy=fuzzy)
    if m is None:
        return QuoteCheck("removed", q.text, ref)
    fixed = q.model_copy(update={
        "text": doc.text[m.start:m.end], "doc": doc.doc_id, "start": m.start, "end": m.end,
        "paragraph": doc.paragraph_at(m.start), "title": q.title or doc.title,
        "passage_id": passage.id if passage is not None else q.passage_id,
    })
    return QuoteCheck(m.status, q.text, ref, fixed, m.score)


def _notice(c: QuoteCheck) -> str | None:
    where = f" {c.passage}" if c.passage else ""
    if c.status == "unknown_passage":
        return (f"Dropped a quotation citing passage {c.passage}, which was not among the retrieved passages: "
                f"“{_short(c.original)}”.")
    if c.status == "removed":
        return f"Removed a quotation not found in the cited passage{where}: “{_short(c.original)}”."
    if c.status == "repaired" and c.quote is not None:
        return (f"A quotation did not match the source word for word and was replaced by the source text "
                f"(passage{where}): “{_short(c.original)}” → “{_short(c.quote.text)}”.")
    return None


# ---------------------------------------------------------------------------------------------
# Quoted text inside the answer's prose
# ---------------------------------------------------------------------------------------------
# Quoted spans in prose, in every quotation style an answer may use: “…”, "…", «…» (with or without the
# French inner spaces), „…“ / „…”, and ‘…’ (an apostrophe inside a word, as in ‘the nation’s’, does not close it).
_INLINE = re.compile(
    r"\u201c([^\u201c\u201d\n]{2,600})\u201d"
    r"|(?<![\w\"])\"([^\"\n]{2,600})\"(?![\w\"])"
    r"|\u00ab[ \u00a0\u202f]?([^\u00ab\u00bb\n]{2,600}?)[ \u00a0\u202f]?\u00bb"
    r"|\u201e([^\u201e\u201c\u201d\n]{2,600})[\u201c\u201d]"
    r"|(?<!\w)\u2018((?:[^\u2018\u2019\n]|\u2019(?=\w)){2,600})\u2019(?!\w)")
# Opening marks and what closes them, for a stream that must not show a quotation before it is checked
_OPENERS = {"\u201c": "\u201d", "\u00ab": "\u00bb", "\u201e": "\u201c\u201d", "\u2018": "\u2019", '"': '"'}
_BLOCK = re.compile(r"^[ \t]*>[ \t]?(.+)$", re.M)
_MARKERS = re.compile(r"\s*\[(?:P?\d+)(?:\s*,\s*P?\d+)*\]")
_ATTRIBUTION = re.compile(r"\s+[\u2014\u2013-]{1,2}\s*[^\u2014\u2013]{1,80}$")
UNVERIFIED_FLAG = " ⚠️*(not found verbatim in the sources)*"


@dataclass(frozen=True)
class ProseQuote:
    text: str
    start: int  # span of the quoted text in the markdown
    end: int
    flag_at: int  # where a warning goes: after the closing mark, or at the end of the blockquote line
    verified: bool
    doc: str | None = None
    doc_start: int | None = None
    doc_end: int | None = None


def check_markdown_quotes(answer_md: str, passages: list[Passage], docs: dict[str, SourceDocument], *,
                          whole_documents: bool = True) -> list[ProseQuote]:
    """Every “quoted” span and every `> blockquote` line in `answer_md`, and whether it is verbatim
    (up to normalisation) in a passage, or anywhere in `docs` when `whole_documents`. No fuzzy
    matching here: text shown in quotation marks must really be in the sources."""
    found: list[tuple[str, int, int, int]] = []
    blocks = [(m.start(1), m.end(1), m.group(1)) for m in _BLOCK.finditer(answer_md)]
    for a, b, line in blocks:
        text = _ATTRIBUTION.sub("", _MARKERS.sub("", line)).strip()
        if _INLINE.search(line) is None and clean_quote(text):
            found.append((text, a, b, b))
    for m in _INLINE.finditer(answer_md):
        g = next(i for i in range(1, (m.re.groups or 0) + 1) if m.group(i) is not None)
        found.append((_MARKERS.sub("", m.group(g)), m.start(g), m.end(g), m.end()))
    out: list[ProseQuote] = []
    for text, a, b, flag_at in sorted(found, key=lambda t: t[1]):
        hit = _find_anywhere(text, passages, docs, whole_documents)
        out.append(ProseQuote(text, a, b, flag_at, hit is not None, *(hit or (None, None, None))))
    return out


def _find_anywhere(text: str, passages, docs, whole_documents: bool) -> tuple[str, int, int] | None:
    for p in passages:
        doc = docs.get(p.doc)
        m = locate(text, doc, p.start, p.end, fuzzy=False) if doc is not None else None
        if m is not None:
            return p.doc, m.start, m.end
    if whole_documents:
        for doc_id, doc in docs.items():
            m = locate_in_document(text, doc)
            if m is not None:
                return doc_id, m.start, m.end
    return None


_ANCHOR = re.compile(r"[^\W_]{3,}")


def locate_in_document(quote: str, doc: SourceDocument, *, max_windows: int = 1000) -> Match | None:
    """`locate` (verbatim up to normalisation, no fuzzy) over a whole document, fast on large ones:
    only windows around occurrences of the quote's longest word (unchanged by normalisation) are searched."""
    q = clean_quote(quote)
    if not q:
        return None
    i = doc.text.find(q)
    if i >= 0:
        return Match(i, i + len(q), "exact")
    words = _ANCHOR.findall(q)[1:]  # the first word may differ in case
    if not words:
        return locate(q, doc, 0, len(doc.text), fuzzy=False) if len(doc.text) <= 20000 else None
    anchor = max(words, key=len)
    span = 2 * len(q) + 16
    pos, n = doc.text.find(anchor), 0
    while pos != -1 and n < max_windows:
        m = locate(q, doc, max(0, pos - span), min(len(doc.text), pos + span), fuzzy=False)
        if m is not None:
            return m
        pos, n = doc.text.find(anchor, pos + 1), n + 1
    return None


def flag_unverified_quotes(answer_md: str, passages: list[Passage],
                           docs: dict[str, SourceDocument]) -> tuple[str, list[str]]:
    """`answer_md` with UNVERIFIED_FLAG after each quoted span not in the sources, and one notice each."""
    bad = [q for q in check_markdown_quotes(answer_md, passages, docs) if not q.verified]
    if not bad:
        return answer_md, []
    out, pos = [], 0
    for q in sorted(bad, key=lambda q: q.flag_at):
        out.append(answer_md[pos:q.flag_at])
        out.append(UNVERIFIED_FLAG)
        pos = q.flag_at
    out.append(answer_md[pos:])
    notices = [f"The answer quotes “{_short(q.text)}”, which is not found verbatim in the sources (flagged)."
               for q in bad]
    return "".join(out), notices


def unclosed_quote_at(text: str) -> int | None:
    """Where a quotation that `text` opens but does not yet close begins (None: every quotation in it is
    closed). A stream holds the text back from there until the quotation closes and can be checked.

    Follows `_INLINE`: a quotation never spans a line break or more than 600 characters; straight
    and single opening marks count only after a non-word character; ’ inside a word is an apostrophe."""
    open_at, closers = None, ""
    for i, c in enumerate(text):
        if open_at is None:
            if c in _OPENERS and (c not in "\"\u2018" or i == 0 or not text[i - 1].isalnum()):
                open_at, closers = i, _OPENERS[c]
            continue
        if c == "\n" or i - open_at > 602:
            open_at = None
        elif c in closers:
            nxt = text[i + 1] if i + 1 < len(text) else None
            if c == "\u2019" and nxt is None:
                continue  # an apostrophe or the closing mark: the next character decides
            if c == "\u2019" and nxt.isalnum():
                continue  # an apostrophe inside a word
            open_at = None
    return open_at


def flag_unverified_headlines(points: list[Point], passages: list[Passage],
                              docs: dict[str, SourceDocument]) -> tuple[list[Point], list[str]]:
    """Quotations inside a point's headline (its claim) get the same check as prose: one that is not
    verbatim in the sources is flagged in the headline and reported."""
    out, notices = [], []
    for p in points:
        claim, flagged = flag_unverified_quotes(p.claim, passages, docs)
        notices += flagged
        out.append(p.model_copy(update={"claim": claim}) if flagged else p)
    return out, notices


_NAME_WORD = re.compile(r"[^\W\d_][\w'\-.]*")
_NOT_NAMES = frozenset({"the", "of", "and", "for", "de", "van", "von", "der", "la", "le", "dr", "mr", "mrs", "ms",
                        "prof", "professor", "sir", "general", "gen", "minister", "president"})


def holder_named(holder: str, texts: list[str]) -> bool:
    """Whether `holder` is named in any of `texts`: the whole name, or its last significant word (a
    surname, an organisation's acronym), matched as a whole word, ignoring case and quote/dash style."""
    name = normalize(holder, casefold=True).strip(" .,;:")
    if not name:
        return True
    words = [w.strip(".'-") for w in _NAME_WORD.findall(name)]
    words = [w for w in words if len(w) >= 2 and w not in _NOT_NAMES]
    keys = [name] + (words[-1:] if words and len(words[-1]) >= 3 else [])
    for t in texts:
        nt = normalize(t or "", casefold=True)
        for k in keys:
            if re.search(r"(?<!\w)" + re.escape(k) + r"(?!\w)", nt):
                return True
    return False


def check_holders(points: list[Point], passages: list[Passage],
                  docs: dict[str, SourceDocument]) -> tuple[list[Point], list[str]]:
    """A point's `holder` (who holds the position) must be named where its evidence comes from: in the
    passages its verified quotations cite, the paragraphs holding them, or as their speaker. A holder
    found in none of these, and not the speaker the attribution rules give a quotation
    (`verify.speakers`: "“…,” he stated" after a named speaker), is dropped from the point (the
    evidence stays) and reported."""
    from .verify.speakers import attribute, same_speaker

    by_id = {p.id: p for p in passages}
    out, notices = [], []
    for point in points:
        if not point.holder or not point.quotes:
            out.append(point)
            continue
        texts: list[str] = []
        for q in point.quotes:
            texts += [q.text, q.speaker or ""]
            p = by_id.get(q.passage_id or "")
            if p is not None:
                texts.append(p.text)
            doc = docs.get(q.doc)
            if doc is not None and doc.paragraphs:
                a, b = doc.paragraph_at(q.start), doc.paragraph_at(max(q.start, q.end - 1))
                texts.append(doc.text[doc.paragraphs[a].start : doc.paragraphs[b].end])
        if holder_named(point.holder, texts) or any(
                (d := docs.get(q.doc)) is not None and same_speaker(point.holder, attribute(d, q.start, q.end).speaker or "")
                for q in point.quotes):
            out.append(point)
        else:
            out.append(point.model_copy(update={"holder": None}))
            notices.append(f"The answer said “{_short(point.claim, 60)}” is held by {_short(point.holder, 60)}, who is "
                           "not named in the passages it cites; the name was dropped.")
    return out, notices


# ---------------------------------------------------------------------------------------------
# Claims: does the cited evidence entail what the point says?
# ---------------------------------------------------------------------------------------------
CLAIM_ENTAIL_MIN = 0.5  # judge entailment a point's claim needs from its quotations or cited passages
CLAIM_CONTRA_MIN = 0.6  # judge contradiction at which the claim is flagged as contradicted


def check_claims(points: list[Point], passages: list[Passage], docs: dict[str, SourceDocument],
                 judge=None) -> tuple[list[Point], list[str]]:
    """Judge each point's claim against its verified quotations and the passages they come from.

    A claim its evidence does not entail keeps its quotations (they are verbatim) but is marked
    "not stated by its sources" (verdict `not_entailed`, or `contradicted` when the judge reads a
    contradiction) and reported in a notice. A point with no verified quotation is marked
    `unsupported`: it is not shown as evidence. Returns new points and the notices."""
    from .judge import get_judge
    from .judge.scorer import CONTRA, ENTAIL

    j = judge or get_judge()
    by_id = {p.id: p for p in passages}
    out: list[Point] = []
    notices: list[str] = []
    for point in points:
        claim = point.claim.strip()
        if not point.quotes:
            out.append(point.model_copy(update={"verdict": "unsupported"}))
            notices.append(f"The point “{_short(claim, 70)}” has no verified quotation: it is not shown as evidence.")
            continue
        if not claim or claim == "(no claim given)":
            out.append(point)
            continue
        premises = [" ".join(q.text for q in point.quotes)]
        for q in point.quotes:
            p = by_id.get(q.passage_id or "")
            if p is not None and p.text not in premises:
                premises.append(p.text)
        probs = j.nli(premises, [claim] * len(premises))
        ent, con = float(probs[:, ENTAIL].max()), float(probs[:, CONTRA].max())
        if ent >= CLAIM_ENTAIL_MIN:
            out.append(point.model_copy(update={"verdict": point.verdict or "entailed"}))
        elif con >= CLAIM_CONTRA_MIN:
            out.append(point.model_copy(update={"verdict": "contradicted"}))
            notices.append(f"The claim “{_short(claim, 70)}” is contradicted by the passages it cites (judge).")
        else:
            out.append(point.model_copy(update={"verdict": "not_entailed"}))
            notices.append(f"The claim “{_short(claim, 70)}” is not stated by the passages it cites (judge); "
                           "read its quotations.")
    return out, notices
