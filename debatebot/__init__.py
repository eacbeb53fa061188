"""debatebot: a debate-preparation assistant that only speaks from its sources.

Python API:
    from debatebot import Engine, Library, Mode, Request, Settings
    lib = Library(Settings(index_dir="index"))
    lib.index()                          # the packaged seed article
    passages = lib.search("Who said what?")
    answer = Engine(lib).run(Request(mode=Mode.argue, side="for", motion="..."))
"""

from typing import TYPE_CHECKING

from debatebot.core.errors import DebatebotError
from debatebot.core.models import Answer, Mode, Passage, Quote, Request
from debatebot.core.settings import Settings

if TYPE_CHECKING:  # typed for users of py.typed; loaded lazily at run time
    from debatebot.answers.drafts import check_draft
    from debatebot.answers.engine import Engine
    from debatebot.corpus.library import Library

__all__ = ["Library", "Settings", "Engine", "Mode", "Passage", "Quote", "Answer", "Request", "DebatebotError",
           "check_draft"]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """Library, Engine and check_draft load on first use: `import debatebot` (and every CLI command)
    does not pay for Chroma and the models until it needs them."""
    if name == "Library":
        from debatebot.corpus.library import Library

        return Library
    if name == "Engine":
        from debatebot.answers.engine import Engine

        return Engine
    if name == "check_draft":
        from debatebot.answers.drafts import check_draft

        return check_draft
    raise AttributeError(name)
