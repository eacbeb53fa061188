"""Checks the questions we wrote about our articles (training/data/SPEC.md, "Questions"): schema, the
article exists, answerable questions cite exact sentences of it, unanswerable ones cite none, and each
article has both kinds. Prints one line per problem and a summary; exits 1 when any row is invalid.

    python3 training/questions_check.py training/data/questions/*.jsonl
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

KINDS = {True: {"fact", "number", "who", "why"},
         False: {"missing_fact", "other_place", "other_topic", "near_miss"}}
ARTICLES = Path(__file__).parent / "data" / "written"


def articles() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for f in sorted(ARTICLES.glob("*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if line.strip():
                a = json.loads(line)
                out[a["id"]] = {s["text"] for b in a.get("blocks", []) for s in b.get("paragraph", [])}
    return out


def check(files: list[Path]) -> int:
    arts = articles()
    bad = 0
    per: dict[str, Counter] = {}
    seen: set[str] = set()
    n = 0
    for f in files:
        for ln, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            n += 1
            where = f"{f.name}:{ln}"
            try:
                q = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{where}: not JSON ({e})")
                bad += 1
                continue
            problems = []
            if set(q) - {"article", "question", "answerable", "kind", "evidence"}:
                problems.append(f"unknown keys {sorted(set(q) - {'article', 'question', 'answerable', 'kind', 'evidence'})}")
            art = q.get("article")
            if art not in arts:
                problems.append(f"no article {art!r}")
            text = q.get("question")
            if not isinstance(text, str) or not text.strip().endswith("?") or len(text.split()) < 4:
                problems.append("question must be a sentence of 4+ words ending in '?'")
            elif text.strip().casefold() in seen:
                problems.append("duplicate question")
            else:
                seen.add(text.strip().casefold())
            ok = q.get("answerable")
            if not isinstance(ok, bool):
                problems.append("answerable must be true or false")
            elif q.get("kind") not in KINDS[ok]:
                problems.append(f"kind must be one of {sorted(KINDS[ok])} when answerable is {str(ok).lower()}")
            ev = q.get("evidence")
            if not isinstance(ev, list):
                problems.append("evidence must be a list")
            elif ok is True and not ev:
                problems.append("an answerable question needs its evidence sentence(s)")
            elif ok is False and ev:
                problems.append("an unanswerable question has evidence []")
            elif art in arts:
                problems += [f"evidence not a sentence of the article: {e[:60]!r}" for e in ev if e not in arts[art]]
            if problems:
                bad += 1
                for p in problems:
                    print(f"{where}: {p}")
            elif art:
                per.setdefault(art, Counter())[ok] += 1
    for art, c in sorted(per.items()):
        if not c[True] or not c[False]:
            print(f"{art}: needs both answerable and unanswerable questions ({dict(c)})")
            bad += 1
    print(f"{n} questions on {len(per)} articles; {bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(check([Path(p) for p in sys.argv[1:]]))
