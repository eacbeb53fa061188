"""debatebot: a debate-preparation assistant that only speaks from its sources.

Python API:
    from debatebot import Engine, Library, Mode, Request, Settings
    lib = Library(Settings(index_dir="index"))
    lib.index(["seeds"])
    passages = lib.search("Who said what?")
    answer = Engine(lib).run(Request(mode=Mode.argue, side="for", motion="..."))
"""

from debatebot.core.errors import DebatebotError
from debatebot.core.models import Answer, Mode, Passage, Quote, Request
from debatebot.core.settings import Settings

__all__ = ["Library", "Settings", "Engine", "Mode", "Passage", "Quote", "Answer", "Request", "DebatebotError",
           "check_draft"]
__version__ = "0.1.0"


def __getattr__(name: str):
    """Library, Engine and check_draft load on first use: `import debatebot` (and every CLI command)
    does not pay for Chroma and the models until it needs them."""
    if name == "Library":
        from debatebot.corpus.library import Library

        return Library
    if name in ("Engine", "check_draft"):
        from debatebot.answers import engine

        return getattr(engine, name)
    raise AttributeError(name)
