"""Quote exactness and speaker attribution on PolNeAR direct quotations.

Data layout (as in ../shared/eval/polnear, or any folder holding a `polnear/` subfolder):
``attributions_dev.jsonl`` (one attribution per line: ``doc``, ``source``, ``content``,
``content_spans``, ``is_direct_quote``) and ``dev/text/<doc>.txt``.

For every direct quotation (one verifier over all the documents, so the quote must also be found
among them; an annotation in several pieces is quoted with " … " between them, see `real_quote`):

- the real quotation must be ``exact``;
- perturbed copies must not be: one interior word substituted (by another word of the same
  document), one word inserted, one interior word dropped, and a splice of the first half of the
  quotation's sentence with the second half of a non-adjacent sentence of the same document.
  A perturbation that could still be a faithful quotation (each ellipsis-separated piece occurs
  in order in one document, e.g. dropping one of "no, no, no") is skipped, and a word next to an
  ellipsis is never dropped (the ellipsis may stand for it).
- speaker: the real speaker (``source``) must come out ``correct``, a speaker taken from another
  attribution of the same document with a different name must come out ``misattributed``.
  Rows whose ``source`` is a pronoun or missing cannot be checked by name and are skipped
  (counted in ``attribution_skipped``).
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path

from debatebot.core.errors import EvalDataError
from debatebot.core.lang import NAME_HONORIFICS
from debatebot.core.text import SourceDocument
from debatebot.verify.quotes import QuoteVerifier
from debatebot.verify.quotes.word_index import ELLIPSIS, WORD, word_key
from debatebot.verify.speakers import PRONOUNS

PERTURBATIONS = ("substituted", "inserted", "dropped", "spliced")


def _data_dir(eval_root: Path) -> Path:
    for cand in (eval_root / "polnear", eval_root):
        if (cand / "attributions_dev.jsonl").is_file():
            return cand
    raise EvalDataError(f"No PolNeAR data under {eval_root}.",
                        hint="Expected polnear/attributions_dev.jsonl and polnear/dev/text/*.txt")


def metric(value: float | int, n: int) -> dict:
    return {"value": round(value, 4) if isinstance(value, float) else value, "n": n}


def _words(text: str) -> list[re.Match]:
    return list(WORD.finditer(text))


def _name_words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", name.lower()) if w not in NAME_HONORIFICS and len(w) > 1}


def _is_named(source: str | None) -> bool:
    return bool(source and source.strip() and source.strip().lower() not in PRONOUNS)


class _Perturber:
    def __init__(self, rng: random.Random, docs: dict[str, SourceDocument]) -> None:
        self.rng = rng
        self.docs = docs
        # " key key key … " of every document, for the ground truth
        self.doc_keys = [" " + " ".join(word_key(m.group()) for m in _words(d.text)) + " " for d in docs.values()]

    def present(self, text: str) -> bool:
        """Could `text` be a faithful quotation? Each ellipsis-separated piece occurs, in order,
        as contiguous words of one document (conservative: such perturbations are skipped)."""
        pieces = [" ".join(word_key(m.group()) for m in _words(p)) for p in ELLIPSIS.split(text)]
        pieces = [p for p in pieces if p]
        if not pieces:
            return True
        for doc_keys in self.doc_keys:
            pos = 0
            for p in pieces:
                i = doc_keys.find(f" {p} ", pos)
                if i < 0:
                    break
                pos = i + len(p) + 1
            else:
                return True
        return False

    def make(self, kind: str, content: str, doc: SourceDocument, start: int) -> str | None:
        ws = _words(content)
        n = len(ws)
        r = self.rng
        vocab = [m.group() for m in _words(doc.text[:20000]) if len(m.group()) > 2]
        if kind == "substituted" and n >= 2:
            i = r.randrange(1, n) if n > 2 else 1
            old = word_key(ws[i].group())
            new = r.choice([w for w in vocab if word_key(w) != old] or ["elephant"])
            out = content[: ws[i].start()] + new + content[ws[i].end() :]
        elif kind == "inserted" and n >= 2:
            i = r.randrange(1, n)
            out = content[: ws[i].start()] + r.choice(vocab or ["indeed"]) + " " + content[ws[i].start() :]
        elif kind == "dropped" and n >= 3:
            # a word next to an ellipsis may be omitted legitimately: never drop one
            ok = [i for i in range(1, n - 1) if not ELLIPSIS.search(content, ws[i - 1].end(), ws[i + 1].start())]
            if not ok:
                return None
            i = r.choice(ok)
            out = content[: ws[i].start()] + content[ws[i + 1].start() :]
        elif kind == "spliced":
            sent = doc.sentence_at(start)
            if sent is None:
                return None
            others = [s for s in doc.sentences if abs(s.id - sent.id) >= 2 and len(_words(doc.sentence_text(s))) >= 6]
            a_words = _words(doc.sentence_text(sent))
            if not others or len(a_words) < 6:
                return None
            other = r.choice(others)
            b_text = doc.sentence_text(other)
            b_words = _words(b_text)
            a_text = doc.sentence_text(sent)
            out = a_text[: a_words[len(a_words) // 2 - 1].end()] + " " + b_text[b_words[len(b_words) // 2].start() :]
        else:
            return None
        return None if self.present(out) else out


def real_quote(text: str, spans: list[list[int]]) -> str:
    """The annotated quotation as a careful writer would quote it: its spans in order, joined by
    " … " where the source has other words between them (PolNeAR joins them with a space, which
    would make e.g. `praised Mr. Clarke [in his address] for helping develop` a silent omission)."""
    pairs = sorted((int(a), int(b)) for a, b in spans)
    out = text[pairs[0][0] : pairs[0][1]]
    for (_, b0), (a, b) in zip(pairs, pairs[1:]):
        out += (" … " if text[b0:a].strip() else " ") + text[a:b]
    return out


def evaluate_quotes(eval_root: Path, limit: int | None = None, seed: int = 0) -> dict:
    """Quote-exactness and attribution metrics, each as {"value", "n"} (see module docstring)."""
    data = _data_dir(Path(eval_root))
    rows = []
    with open(data / "attributions_dev.jsonl", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rows.append(json.loads(line))
    by_doc: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        by_doc[r["doc"]].append(r)
    docs: dict[str, SourceDocument] = {}
    for name in sorted(by_doc):
        path = data / "dev" / "text" / f"{name}.txt"
        if not path.is_file():
            raise EvalDataError(f"Missing text for {name}: {path}")
        docs[name] = SourceDocument.from_text(f"{name}.txt", path.read_text(encoding="utf-8"))
    direct = [r for r in rows if r.get("is_direct_quote") and r.get("content", "").strip()]
    rng = random.Random(seed)
    rng.shuffle(direct)
    if limit is not None:
        direct = direct[:limit]
    verifier = QuoteVerifier(docs.values())
    perturb = _Perturber(rng, docs)

    confusion: dict[str, Counter] = defaultdict(Counter)
    located = 0
    att_real = att_swap = n_real = n_swap = skipped = 0
    failures: list[dict] = []
    att_failures: list[dict] = []
    for r in direct:
        doc = docs[r["doc"]]
        start = r["content_spans"][0][0]
        r = dict(r, content=real_quote(doc.text, r["content_spans"]))
        claimed = r.get("source") if _is_named(r.get("source")) else None
        res = verifier.verify(r["content"], speaker=claimed)
        confusion["real"][res.verdict] += 1
        if res.match and res.match.doc == doc.doc_id and res.match.start < r["content_spans"][-1][1] \
                and res.match.end > start:
            located += 1
        if res.verdict != "exact" and len(failures) < 20:
            failures.append({"kind": "real", "quote": r["content"][:200], "verdict": res.verdict,
                             "diff": [d for d in res.diff if d["op"] != "equal"][:3]})
        for kind in PERTURBATIONS:
            text = perturb.make(kind, r["content"], doc, start)
            if text is None:
                continue
            pres = verifier.verify(text)
            confusion[kind][pres.verdict] += 1
            if pres.verdict == "exact" and len(failures) < 40:
                failures.append({"kind": kind, "quote": text[:200], "verdict": "exact"})
        # attribution
        if claimed is None:
            skipped += 1
            continue
        n_real += 1
        att_real += res.speaker.verdict == "correct"
        if res.speaker.verdict != "correct" and len(att_failures) < 60:
            att_failures.append({"claimed": claimed, "actual": res.speaker.actual, "verdict": res.speaker.verdict,
                                 "doc": r["doc"], "start": start})
        mine = _name_words(claimed)
        others = sorted({o["source"] for o in by_doc[r["doc"]] if _is_named(o.get("source"))
                         and mine and not (_name_words(o["source"]) & mine) and _name_words(o["source"])})
        if others:
            swapped = rng.choice(others)
            sres = verifier.verify(r["content"], speaker=swapped)
            n_swap += 1
            att_swap += sres.speaker.verdict == "misattributed"
            if sres.speaker.verdict != "misattributed" and len(att_failures) < 60:
                att_failures.append({"claimed": swapped, "actual": sres.speaker.actual, "verdict": sres.speaker.verdict,
                                     "doc": r["doc"], "start": start, "swapped": True})

    real_n = sum(confusion["real"].values())
    alt_kinds = ("substituted", "inserted", "dropped")
    alt_n = sum(sum(confusion[k].values()) for k in alt_kinds)
    alt_exact = sum(confusion[k]["exact"] for k in alt_kinds)
    alt_altered = sum(confusion[k]["altered"] for k in alt_kinds)
    spl_n = sum(confusion["spliced"].values())
    pert_n = alt_n + spl_n
    pert_exact = alt_exact + confusion["spliced"]["exact"]
    correct = confusion["real"]["exact"] + (pert_n - pert_exact)
    total = real_n + pert_n
    return {
        "quote_exact_real": metric(confusion["real"]["exact"] / real_n if real_n else 0.0, real_n),
        "quote_located_real": metric(located / real_n if real_n else 0.0, real_n),
        "quote_altered_not_exact": metric((alt_n - alt_exact) / alt_n if alt_n else 0.0, alt_n),
        "quote_altered_called_altered": metric(alt_altered / alt_n if alt_n else 0.0, alt_n),
        "altered_called_exact": metric(pert_exact, pert_n),
        "quote_spliced_not_exact": metric((spl_n - confusion["spliced"]["exact"]) / spl_n if spl_n else 0.0, spl_n),
        "quote_spliced_called_spliced": metric(confusion["spliced"]["spliced"] / spl_n if spl_n else 0.0, spl_n),
        "quote_exactness_accuracy": metric(correct / total if total else 0.0, total),
        "attribution_accuracy": metric((att_real + att_swap) / (n_real + n_swap) if n_real + n_swap else 0.0,
                                        n_real + n_swap),
        "attribution_real_correct": metric(att_real / n_real if n_real else 0.0, n_real),
        "attribution_swapped_detected": metric(att_swap / n_swap if n_swap else 0.0, n_swap),
        "attribution_skipped": metric(skipped, len(direct)),
        "confusion": {k: dict(v) for k, v in confusion.items()},
        "failures": failures,
        "attribution_failures": att_failures,
    }
