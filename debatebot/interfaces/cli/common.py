"""What every CLI command shares: JSON output, the library from the command's options, a progress bar."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any


def print_json(obj: Any) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def library(args):
    from debatebot.core.settings import load_settings
    from debatebot.corpus.library import Library

    overrides = {}
    if getattr(args, "index_dir", None):
        overrides["index_dir"] = Path(args.index_dir)
    return Library(load_settings(**overrides))


def progress_bar(enabled: bool):
    if not enabled:
        return None, lambda: None
    from tqdm import tqdm

    bar = None

    def cb(done: int, total: int, name: str) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="doc", desc="indexing", file=sys.stderr, dynamic_ncols=True,
                       disable=total < 3 and not sys.stderr.isatty())
        bar.update(done - bar.n)
        bar.set_postfix_str(name[-40:], refresh=False)

    def close() -> None:
        if bar is not None:
            bar.close()

    return cb, close
