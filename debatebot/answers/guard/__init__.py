"""The citation guard: every quotation shown is checked against the passage it cites.

`guard_quotes` keeps a quotation only when it is verbatim in its cited passage (after straightening
quotes and dashes, collapsing whitespace and ignoring the case of the first letter), and then
replaces its text with the exact source slice and offsets. A near miss (one clear best window in
the cited passage, rapidfuzz score >= FUZZY_MIN) is replaced by the exact source text with a notice;
anything else is removed with a notice, as is a citation of a passage that was not retrieved.

`check_markdown_quotes` / `flag_unverified_quotes` do the same for text in quotation marks inside an
answer's prose. Everything here is deterministic and works on passage-sized text (fast)."""


from debatebot.answers.guard.claim_citations import (
    check_claims,
    check_holders,
    holder_named,
)
from debatebot.answers.guard.locate import Match, clean_quote, locate, locate_in_document
from debatebot.answers.guard.points import GuardResult, QuoteCheck, guard_quotes, passage_lookup
from debatebot.answers.guard.prose import (
    UNVERIFIED_FLAG,
    ProseQuote,
    check_markdown_quotes,
    flag_unverified_headlines,
    flag_unverified_quotes,
    unclosed_quote_at,
)

__all__ = [
    "GuardResult", "Match", "ProseQuote", "QuoteCheck", "UNVERIFIED_FLAG",
    "check_claims", "check_holders", "check_markdown_quotes", "clean_quote", "flag_unverified_headlines",
    "flag_unverified_quotes", "guard_quotes", "holder_named", "locate", "locate_in_document", "passage_lookup",
    "unclosed_quote_at",
]
