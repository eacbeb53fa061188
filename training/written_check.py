"""Checks the articles we wrote (training/data/SPEC.md): schema, labels, counts, verbatim evidence and
no reserved topic. Prints one line per problem and a summary; exits 1 when any article is invalid.
With --manifest, also writes training/data/manifest.json (files and their sha256, topics per split,
counts, how the data was written).

    python3 training/written_check.py training/data/written/*.jsonl [--manifest]
"""
from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

LABELS = {"pro", "con", "about", "unrelated"}
VERDICTS = {
    "paraphrase": "supported", "negation": "contradicted", "antonym": "contradicted", "number": "contradicted",
    "date": "contradicted", "entity": "contradicted", "speaker": "misattributed", "modality": "overstated",
    "compound": "contradicted", "unaddressed": "not_in_sources",
}
# kept for evaluating the project: never in the training data
RESERVED = re.compile(r"\b(land ?mines?|anti-personnel mines?|ottawa (treaty|convention)|cluster munitions?|"
                      r"nuclear (power|plant|reactor|energy)|reactors?|firearms?|guns?|assault weapons?|"
                      r"background checks?)\b", re.I)


def sentences(article: dict) -> list[dict]:
    return [s for b in article.get("blocks", []) for s in b.get("paragraph", [])]


def problems(article: dict) -> list[str]:
    out = []
    for key in ("id", "topic", "domain", "country", "headline", "blocks", "motions", "claims"):
        if key not in article:
            out.append(f"missing {key}")
    if out:
        return out
    sents = sentences(article)
    if len(sents) < 10:
        out.append(f"only {len(sents)} sentences")
    for s in sents:
        if not isinstance(s.get("text"), str) or not s["text"].strip():
            out.append("empty sentence")
        if s.get("label") not in LABELS:
            out.append(f"bad label {s.get('label')!r}")
    counts = Counter(s.get("label") for s in sents)
    if counts["pro"] + counts["con"] < 4:
        out.append(f"too few side sentences {dict(counts)}")
    if not any("heading" in b for b in article["blocks"]):
        out.append("no heading")
    motions = article["motions"]
    if len(motions) < 3:
        out.append("fewer than 3 motions")
    elif motions[0].get("polarity") != 1:
        out.append("motions[0] must have polarity 1")
    pols = {m.get("polarity") for m in motions}
    if pols != {1, -1}:
        out.append(f"motions need both polarities, got {pols}")
    if not any(m.get("names_instrument") for m in motions):
        out.append("no motion names_instrument")
    texts = {s["text"] for s in sents if isinstance(s.get("text"), str)}
    claims = article["claims"]
    if len(claims) < 10:
        out.append(f"only {len(claims)} claims")
    for c in claims:
        pert, verdict = c.get("perturbation"), c.get("verdict")
        if VERDICTS.get(pert) != verdict:
            out.append(f"claim {c.get('claim', '')[:40]!r}: perturbation {pert!r} with verdict {verdict!r}")
        ev = c.get("evidence", [])
        if pert != "unaddressed" and not ev:
            out.append(f"claim {c.get('claim', '')[:40]!r}: no evidence")
        for e in ev:
            if e not in texts:
                out.append(f"claim {c.get('claim', '')[:40]!r}: evidence not verbatim: {e[:60]!r}")
        if pert == "speaker" and not c.get("true_speaker"):
            out.append(f"claim {c.get('claim', '')[:40]!r}: speaker claim without true_speaker")
    blob = " ".join([article["headline"], article["topic"]] + [m.get("text", "") for m in motions] + list(texts))
    hit = RESERVED.search(blob)
    if hit:
        out.append(f"reserved topic word: {hit.group(0)!r}")
    return out


HOW_WRITTEN = (
    "Written on 2026-12-07 by language-model helpers of the development session, each given training/data/SPEC.md, "
    "a list of debate topics (two articles per topic, different countries, angles, defined instruments and "
    "balance), and the rules: original reporting with invented people, organisations, laws and agreements; "
    "named speakers of both camps quoted and reported; polls, figures, dates, hedges, headings and a neutral "
    "fact; no text copied from published articles or from ../shared/eval; no landmines or weapons treaties, "
    "nuclear power or gun control. Each helper checked its file with this script and reread a sample of its "
    "articles, correcting labels; the session read a further sample (README, 'Training data we write')."
)


def write_manifest(paths: list[str]) -> Path:
    import hashlib

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from debatebot.evaluation.written import DEV_SHARE, load_written, split_of

    folder = Path(paths[0]).parent
    arts = load_written(folder)
    by_split: dict = {"train": set(), "dev": set()}
    for a in arts:
        by_split[split_of(a.topic)].add(a.topic)
    rows = [json.loads(line) for p in paths for line in Path(p).read_text(encoding="utf-8").splitlines() if line.strip()]
    manifest = {
        "how_written": HOW_WRITTEN,
        "format": "training/data/SPEC.md",
        "split": f"by topic: sha256(topic) % 100 < {DEV_SHARE} is dev (debatebot/evaluation/written.py)",
        "files": {Path(p).name: hashlib.sha256(Path(p).read_bytes()).hexdigest() for p in paths},
        "counts": {
            "articles": len(arts), "topics": len({a.topic for a in arts}),
            "dev_articles": sum(split_of(a.topic) == "dev" for a in arts),
            "sentences": dict(Counter(s.label for a in arts for s in a.sentences)),
            "motion_phrasings": sum(len(a.motions) for a in arts),
            "claims": dict(Counter(c.get("perturbation") for a in arts for c in a.claims)),
            "domains": dict(Counter(r.get("domain") for r in rows)),
            "countries": len({r.get("country") for r in rows}),
        },
        "topics": {k: sorted(v) for k, v in by_split.items()},
    }
    out = folder.parent / "manifest.json"
    out.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


def main(paths: list[str]) -> int:
    bad = n = 0
    ids: Counter = Counter()
    topics: set = set()
    labels: Counter = Counter()
    perts: Counter = Counter()
    for path in paths:
        for i, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                art = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{path}:{i}: not JSON: {e}")
                bad += 1
                continue
            n += 1
            ids[art.get("id")] += 1
            topics.add(art.get("topic"))
            labels.update(s.get("label") for s in sentences(art))
            perts.update(c.get("perturbation") for c in art.get("claims", []))
            for p in problems(art):
                print(f"{path}:{i} {art.get('id')}: {p}")
                bad += 1
    for k, v in ids.items():
        if v > 1:
            print(f"duplicate id {k}")
            bad += 1
    print(f"{n} articles, {len(topics)} topics, labels {dict(labels)}, claims {dict(perts)}; {bad} problems")
    return 1 if bad else 0


if __name__ == "__main__":
    files = [a for a in sys.argv[1:] if a != "--manifest"]
    rc = main(files)
    if rc == 0 and "--manifest" in sys.argv[1:] and files:
        print("wrote", write_manifest(files))
    sys.exit(rc)
