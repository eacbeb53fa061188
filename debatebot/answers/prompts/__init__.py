"""Prompt files (package data beside this module), loaded by name and filled with `$variable` placeholders.

`string.Template` syntax (`$name` / `${name}`) is used rather than `str.format` so the JSON examples
inside prompts need no brace escaping. A missing variable or a missing file raises PromptError."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from string import Template

from debatebot.core.errors import PromptError

PROMPTS_DIR = Path(str(resources.files(__name__)))
_SUFFIXES = (".md", ".txt")


@dataclass(frozen=True)
class Prompt:
    """One prompt template. `render(**vars)` substitutes every `$var`; `$$` is a literal `$`."""

    name: str
    template: str
    path: Path | None = None

    @property
    def variables(self) -> list[str]:
        """Names of the placeholders, in order of first appearance."""
        return Template(self.template).get_identifiers()

    def render(self, **variables: object) -> str:
        missing = [v for v in self.variables if v not in variables]
        if missing:
            raise PromptError(
                f"Prompt {self.name!r} needs the variable(s) {', '.join(repr(m) for m in missing)}, "
                "which were not supplied."
            )
        try:
            return Template(self.template).substitute({k: "" if v is None else str(v) for k, v in variables.items()})
        except (KeyError, ValueError) as e:  # a stray '$' that is not a valid placeholder
            raise PromptError(f"Prompt {self.name!r} has an invalid placeholder: {e}.") from e


def load_prompt(name: str, directory: Path | str | None = None) -> Prompt:
    """The prompt `name` (file `name.md` or `name.txt`) from `directory` (default: the packaged prompts)."""
    base = Path(directory) if directory is not None else PROMPTS_DIR
    return _load(name, str(base.resolve()))


@lru_cache(maxsize=64)
def _load(name: str, base: str) -> Prompt:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise PromptError(f"Invalid prompt name {name!r}.")
    for suffix in _SUFFIXES:
        path = Path(base) / f"{name}{suffix}"
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as e:
                raise PromptError(f"Prompt file {path} cannot be read: {e.strerror or e}.") from e
            if not Template(text).is_valid():
                raise PromptError(f"Prompt {name!r} ({path}) has a '$' that is not a placeholder; write '$$' for a literal dollar.")
            return Prompt(name, text, path)
    raise PromptError(
        f"Prompt {name!r} not found: no {name}.md or {name}.txt in {base}.",
        hint="The packaged prompts live in debatebot/answers/prompts/ (the repository's prompts/ links there).",
    )
