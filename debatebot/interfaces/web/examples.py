"""The app's example prompts and its default motion. They are data, read from `.examples.json` beside
the seed documents (`settings.index.seeds_dir`), so that they name what the seed is about and no subject is
written in code; a user who points the seeds at a folder of their own can write one there. A folder
without the file, and every upload, get examples made from the indexed documents themselves
(`examples_from_documents`); a malformed file is reported on the log and treated as missing (the app
still starts)."""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from debatebot.core.models import Mode
from debatebot.core.text import SourceDocument, clip
from debatebot.interfaces.web.session import MODE_CHOICES

EXAMPLES_FILE = ".examples.json"  # hidden: the indexer skips dot-files, so it is never read as a source
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Examples:
    motion: str = ""  # the motion box's starting text
    speaker_hint: str = ""  # "e.g. <name>" in the speaker box
    rows: list[list[str]] = field(default_factory=lambda: [["Balanced summary", "", "", ""]])  # mode, text, speaker, motion

    def labels(self) -> list[str]:
        return [example_label(r) for r in self.rows]


def example_label(example: list[str]) -> str:
    """"Mode: what it works on": the typed text, the motion for the modes that argue it, else the mode alone."""
    mode, text, _, motion = example
    what = text or (motion if MODE_CHOICES.get(mode, (None,))[0] in (Mode.argue, Mode.rebut, Mode.practice) else "")
    return f"{mode}: {what}"[:90] if what else mode


def load_examples(seeds_dir: Path | str) -> Examples:
    """The examples of `seeds_dir/.examples.json`, or the mode-only default (see the module docstring)."""
    path = Path(seeds_dir) / EXAMPLES_FILE
    if not path.is_file():
        return Examples()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        motion = str(raw.get("motion") or "").strip()
        rows = []
        for item in raw.get("examples") or []:
            mode = str(item.get("mode") or "")
            if mode not in MODE_CHOICES:
                log.warning("%s: unknown mode %r in an example (known: %s); skipped", path, mode,
                            ", ".join(MODE_CHOICES))
                continue
            rows.append([mode, str(item.get("text") or ""), str(item.get("speaker") or ""), motion])
    except (OSError, ValueError, AttributeError, TypeError) as e:
        log.warning("%s is not a valid examples file (%s); showing the default examples", path, e)
        return Examples()
    return Examples(motion=motion, speaker_hint=str(raw.get("speaker_hint") or "").strip(),
                    rows=rows or Examples().rows)


_NUMBER = re.compile(r"\d")


def examples_from_documents(docs: list[SourceDocument]) -> Examples:
    """Examples made from the documents themselves (an upload, or a seed folder without `.examples.json`):
    a question about each title, a claim check of a sentence that states a figure, a quote check of words
    a named speaker is quoted saying (with that speaker), and a question about that speaker; then a
    summary. Every text is the documents' own; nothing is written about a subject here."""
    from debatebot.verify.speakers import attribute, quote_intervals, shown_speaker, speaker_kind

    rows: list[list[str]] = []
    hint = ""
    for doc in docs[:3]:
        if doc.title:
            rows.append(["Ask", f"What does “{clip(doc.title, 70)}” report?", "", ""])
        fact = next((doc.text[s.start:s.end].strip() for s in doc.sentences[1:]
                     if _NUMBER.search(doc.text[s.start:s.end]) and 8 <= len(doc.text[s.start:s.end].split()) <= 30
                     and not any(ch in doc.text[s.start:s.end] for ch in "\u201c\u201d\"")), None)
        if fact:
            rows.append(["Check a claim", fact, "", ""])
        for a, b in quote_intervals(doc):
            words = doc.text[a + 1 : b - 1].strip(" ,.")
            if not 5 <= len(words.split()) <= 25:
                continue
            who = shown_speaker(doc, attribute(doc, a + 1, b - 1))
            if who and " and " not in who:
                rows.append(["Verify a quote", words, who, ""])
                rows.append(["Ask", f"{'What' if speaker_kind(who) == 'organisation' else 'Who'} is {who}?", "", ""])
                hint = hint or who
                break
    rows.append(["Balanced summary", "", "", ""])
    unique = [list(r) for r in dict.fromkeys(tuple(r) for r in rows)]  # first of each, in order
    return Examples(motion="", speaker_hint=hint, rows=unique[:8])
