"""One error tree. Library code raises these; only the CLI and the UI turn them into messages."""

from __future__ import annotations


class DebatebotError(Exception):
    """Base of every error debatebot raises on purpose. `str(err)` is a user-facing message."""

    hint: str = ""

    def __init__(self, message: str, *, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint

    def user_message(self) -> str:
        msg = str(self)
        return f"{msg}\n  hint: {self.hint}" if self.hint else msg


class ConfigError(DebatebotError):
    """A setting is missing or invalid."""


class InputError(DebatebotError):
    """The user's input (query, claim, quote, path) cannot be used as given."""


class IngestError(DebatebotError):
    """A source file could not be read or turned into text."""


class UnsupportedFileError(IngestError):
    """The file type is not one debatebot reads."""


class IndexError_(DebatebotError):
    """Base for problems with the persisted index."""


class IndexMismatchError(IndexError_):
    """The index was built with another embedding model, chunker or schema version."""


class IndexCorruptError(IndexError_):
    """The index folder is not a readable debatebot index."""


class IndexUnavailableError(IndexError_):
    """The index cannot be written or reached (read-only, locked, disk full, server down)."""


class EmptyIndexError(IndexError_):
    """Nothing is indexed yet."""


class BackendError(DebatebotError):
    """The answer backend (LLM server) failed; callers fall back to the offline engine."""


class PromptError(DebatebotError):
    """A prompt file is missing or a template variable was not supplied."""


class EvalDataError(DebatebotError):
    """The evaluation data folder is missing or not in the expected format."""
