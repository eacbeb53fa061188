"""The news-style articles we wrote for the judge (training/data/written, format in training/data/SPEC.md):
read, split by topic into train and dev, and flattened into the labelled rows that training and
`debatebot eval --only written` use.

The split is by topic (a stable hash of the topic string), so the dev articles are on topics the
judge never saw in training."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from debatebot.core.errors import EvalDataError

DEV_SHARE = 15  # percent of topics held out as dev


@dataclass(frozen=True)
class WrittenSentence:
    text: str
    label: str  # pro | con | about | unrelated | heading (towards the article's first motion)
    speaker: str | None
    paragraph: int


@dataclass(frozen=True)
class WrittenArticle:
    id: str
    topic: str
    headline: str
    sentences: list[WrittenSentence]
    motions: list[tuple[str, int]]  # (text, polarity towards the first motion)
    instrument_motions: frozenset[str]
    claims: list[dict]

    @property
    def text(self) -> str:
        """The article as a document: the headline, then paragraphs and headings one per block."""
        blocks: list[list[str]] = []
        last = None
        for s in self.sentences:
            if s.paragraph != last:
                blocks.append([])
                last = s.paragraph
            blocks[-1].append(s.text)
        return "\n\n".join([self.headline] + [" ".join(b) for b in blocks])

    def label_for(self, sentence: WrittenSentence, polarity: int) -> str:
        """The sentence's label towards a motion of this polarity: pro and con swap for -1."""
        if sentence.label in ("pro", "con") and polarity < 0:
            return "con" if sentence.label == "pro" else "pro"
        return sentence.label


def split_of(topic: str) -> str:
    h = int(hashlib.sha256(topic.strip().lower().encode("utf-8")).hexdigest()[:8], 16)
    return "dev" if h % 100 < DEV_SHARE else "train"


def _article(row: dict) -> WrittenArticle:
    sents: list[WrittenSentence] = []
    for p, block in enumerate(row["blocks"]):
        if "heading" in block:
            sents.append(WrittenSentence(block["heading"], "heading", None, p))
        for s in block.get("paragraph", []):
            sents.append(WrittenSentence(s["text"], s["label"], s.get("speaker"), p))
    motions = [(m["text"], int(m["polarity"])) for m in row["motions"]]
    inst = frozenset(m["text"] for m in row["motions"] if m.get("names_instrument"))
    return WrittenArticle(row["id"], row["topic"], row["headline"], sents, motions, inst, list(row["claims"]))


def load_written(folder: Path, split: str | None = None) -> list[WrittenArticle]:
    """Every article in `folder`/*.jsonl (or only the `split`: "train" or "dev"), in file order."""
    folder = Path(folder)
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise EvalDataError(f"No written articles (*.jsonl) in {folder}.",
                            hint="They live in training/data/written in the repository.")
    out = []
    for f in files:
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                art = _article(json.loads(line))
                if split is None or split_of(art.topic) == split:
                    out.append(art)
    return out


def _label_of(art: WrittenArticle, text: str, polarity: int) -> str | None:
    """The label (towards a motion of `polarity`) of the written sentence a quoted text comes from."""
    t = " ".join(text.split())
    for s in art.sentences:
        st = " ".join(s.text.split())
        if t and (t in st or st in t):
            return art.label_for(s, polarity)
    if t and t in " ".join(art.headline.split()):
        return "heading"
    return None


_CLAIM_OK = {
    "supported": {"supported"},
    "contradicted": {"contradicted", "misattributed"},
    "misattributed": {"contradicted", "misattributed"},
    "overstated": {"contradicted", "partly_supported", "not_in_sources", "misattributed"},
    "not_in_sources": {"not_in_sources"},
}


def names_absent(art: WrittenArticle, claim: str) -> list[str]:
    """The capitalised words of a claim (past its first word) that the article never uses: an entity swap
    to such a name is a claim about something the sources do not name, which the claim-check issue asks to
    call "not in the sources" (never judged from another entity's sentence)."""
    words = re.findall(r"[A-Za-z][\w'-]*", claim)[1:]
    return [w for w in words if w[0].isupper() and not re.search(r"\b" + re.escape(w) + r"\b", art.text)]


def claim_ok(art: WrittenArticle, claim: dict, got: str) -> bool:
    """Whether the engine's verdict `got` is right for a written claim (`_CLAIM_OK`; an entity swap to a name
    the article never uses may also be not in the sources)."""
    ok = _CLAIM_OK.get(str(claim.get("verdict")), set())
    if claim.get("perturbation") == "entity" and got == "not_in_sources" and names_absent(art, claim["claim"]):
        return True
    return got in ok


def evaluate_written(folder: Path, split: str = "dev", limit: int | None = None,
                     embedding_model: str | None = None, progress=None) -> dict:
    """The engine on the written articles of `split` (topics the judge was not trained on), each indexed as
    a document of its own and every request restricted to it:

    - argue FOR and AGAINST every phrasing of each article's motion (polarity -1 phrasings swap the
      sides): `written_side_precision` (quoted sentences whose label is the requested side / all quoted
      sentences that map to a labelled one), `written_side_points_mean`, and
      `written_side_requests_with_3_points` over the requests whose article holds 3 or more sentences of
      that side, `written_side_requests_empty` over those that hold one or more, and the precision of
      the confident and the leaning points apart (`written_side_precision_sure` / `_leaning`);
    - check every claim: `written_claims_accuracy` (supported claims supported; contradicted and
      misattributed ones contradicted or misattributed; overstated ones anything but supported; claims
      the article does not address not in the sources; an entity swap to a name the article never uses
      contradicted or not in the sources), per perturbation, and
      `written_claims_false_supported` (a claim that is not supported called supported)."""
    import tempfile
    import time
    from collections import defaultdict

    from debatebot.core.models import Mode, Request
    from debatebot.evaluation.side_eval import temporary_engine
    from debatebot.evaluation.stance import metric

    t0 = time.perf_counter()
    arts = load_written(folder, split)[: limit or None]
    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="debatebot-written-") as tmp:
        lib, engine = temporary_engine(Path(tmp), "written", embedding_model)
        for art in arts:
            lib.add_text(art.id, art.text, title=art.headline)
        right = total = 0
        points: list[int] = []
        eligible: list[int] = []
        empty: list[bool] = []
        by_form: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        claims: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        false_supported = 0
        for art in arts:
            if progress:
                progress(f"written: {art.id}")
            for motion, pol in art.motions:
                form = "instrument" if motion in art.instrument_motions else ("inverse" if pol < 0 else "direct")
                for side in ("for", "against"):
                    want = "pro" if (side == "for") == (pol > 0) else "con"
                    held = sum(1 for s in art.sentences if art.label_for(s, pol) == want)
                    ans = engine.run(Request(mode=Mode.argue, side=side, motion=motion, text=motion, docs=[art.id]))
                    for p in ans.points:
                        for q in p.quotes:
                            lab = _label_of(art, q.text, pol)
                            if lab is None:
                                continue
                            right += lab == want
                            total += 1
                            for key in (form, "leaning" if p.leaning else "sure"):
                                by_form[key][0] += lab == want
                                by_form[key][1] += 1
                    if held >= 1:
                        empty.append(not ans.points)
                    if held >= 3:
                        points.append(len(ans.points))
                        eligible.append(len(ans.points) >= 3)
            for c in art.claims:
                verdict = c.get("verdict")
                if verdict not in _CLAIM_OK:
                    continue
                ans = engine.run(Request(mode=Mode.check, text=c["claim"], docs=[art.id]))
                got = str(ans.verdict or "")
                ok = claim_ok(art, c, got)
                for key in ("all", str(c.get("perturbation"))):
                    claims[key][0] += ok
                    claims[key][1] += 1
                false_supported += verdict != "supported" and got == "supported"
    out["written_side_precision"] = metric(right / total if total else 0.0, total)
    for form, (r, n) in sorted(by_form.items()):
        out[f"written_side_precision_{form}"] = metric(r / n if n else 0.0, n)
    out["written_side_points_mean"] = metric(sum(points) / len(points) if points else 0.0, len(points))
    out["written_side_requests_with_3_points"] = metric(sum(eligible) / len(eligible) if eligible else 0.0,
                                                        len(eligible))
    out["written_side_requests_empty"] = metric(sum(empty) / len(empty) if empty else 0.0, len(empty))
    for key, (r, n) in sorted(claims.items()):
        name = "written_claims_accuracy" if key == "all" else f"written_claims_accuracy_{key}"
        out[name] = metric(r / n if n else 0.0, n)
    n_claims = claims["all"][1] if "all" in claims else 0
    out["written_claims_false_supported"] = metric(float(false_supported), n_claims)
    out["articles"] = len(arts)
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out
