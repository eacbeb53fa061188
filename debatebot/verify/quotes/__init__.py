"""Quotation verification: is a quotation word for word in the sources, and who said it (see `verifier`)."""

from debatebot.verify.quotes.verifier import QuoteResult, QuoteVerifier, SpeakerCheck, Span

__all__ = ["QuoteResult", "QuoteVerifier", "SpeakerCheck", "Span"]
