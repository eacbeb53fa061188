"""debatebot: a debate-preparation assistant that only speaks from its sources.

Python API:
    from debatebot import Library, Settings
    lib = Library(Settings(index_dir="index"))
    lib.index(["seeds"])
    passages = lib.search("Who ratified the Ottawa Convention?")
"""

from .errors import DebatebotError
from .library import Library
from .models import Answer, Passage, Quote, Request
from .settings import Settings

__all__ = ["Library", "Settings", "Passage", "Quote", "Answer", "Request", "DebatebotError"]
__version__ = "0.1.0"
