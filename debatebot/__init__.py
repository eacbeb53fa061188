"""debatebot: a debate-preparation assistant that only speaks from its sources.

Python API:
    from debatebot import Engine, Library, Mode, Request, Settings
    lib = Library(Settings(index_dir="index"))
    lib.index(["seeds"])
    passages = lib.search("Who ratified the Ottawa Convention?")
    answer = Engine(lib).run(Request(mode=Mode.argue, side="for", motion="..."))
"""

from .engine import Engine, check_draft
from .errors import DebatebotError
from .library import Library
from .models import Answer, Mode, Passage, Quote, Request
from .settings import Settings

__all__ = ["Library", "Settings", "Engine", "Mode", "Passage", "Quote", "Answer", "Request", "DebatebotError",
           "check_draft"]
__version__ = "0.1.0"
