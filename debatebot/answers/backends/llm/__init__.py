"""The LLM backend (any OpenAI-compatible server), split by noun: the reply's JSON (`reply`), the
messages (`prompting`), the call (`transport`), citation markers (`markers`), the backend (`backend`)."""

from debatebot.answers.backends.llm.backend import LLMBackend
from debatebot.answers.backends.llm.reply import AnswerFieldScanner, extract_json

__all__ = ["LLMBackend", "AnswerFieldScanner", "extract_json"]
