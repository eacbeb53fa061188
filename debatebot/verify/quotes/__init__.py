"""Quotation verification: is a quotation word for word in the sources, and who said it (the rules:
`verifier`)."""

from debatebot.verify.quotes.results import QuoteResult, Span, SpeakerCheck
from debatebot.verify.quotes.verifier import QuoteVerifier

__all__ = ["QuoteResult", "QuoteVerifier", "SpeakerCheck", "Span"]
