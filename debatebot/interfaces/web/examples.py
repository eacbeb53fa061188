"""The app's example prompts and its default motion. They are data, read from `.examples.json` beside
the seed documents (`settings.seeds_dir`), so that they name what the seed is about and no subject is
written in code; a user who points the seeds at a folder of their own can write one there. A folder
without the file gets the examples of the modes that need no text; a malformed file is reported on
the log and treated the same way (the app still starts)."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

from debatebot.core.models import Mode
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
