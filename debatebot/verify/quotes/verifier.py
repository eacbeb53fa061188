"""Quotation verification: is a quotation word for word in the sources, altered, spliced from
separate sentences, truncated so that its meaning changes, or absent — and who said it.

How it works
------------
At init every document is split into word tokens (with character offsets into the *original*
text, its sentence, paragraph and whether it lies inside quotation marks) and a word-trigram index
is built (sorted numpy keys, so a look-up is a binary search). `verify` then:

1. splits the quotation into pieces at ellipses ("...", "…", "[...]"), tokenises it the same way;
2. looks up its trigrams (rare words when it has none in common), groups the hits into candidate
   regions (same document, nearby alignment diagonal);
3. aligns the quotation's words with each region (difflib's longest-block matcher) and keeps the
   best region; quotation words no region explains are then looked for in the other regions, which
   is how pieces of separate passages are found;
4. classifies every junction between matched blocks and decides the verdict.

The steps live in `word_index` (tokens and the index), `search` (candidate regions), `align` (the
alignment and its junctions) and `rules` (the verdicts); `QuoteVerifier` is the last class of that chain.

Rules (what each verdict means)
-------------------------------
Words are compared case-insensitively, then their case is checked. Only word tokens are compared:
quote marks (curly or straight), dashes, whitespace and punctuation are not words.

- ``exact``: every word of the quotation appears, in order, in the source. Allowed differences:
  quote-mark style, dashes, whitespace, punctuation (inside as well as around the quotation —
  a limitation: a moved comma is not reported), the case of the first letter of the quotation,
  of the first word after an ellipsis and of a source word that starts a sentence or quotation; an ellipsis may stand for source words omitted within
  a sentence, running into the *next* sentence, or for a speech tag between two quoted stretches; narration of at most 40 words between two quoted
  stretches of speech may be left out when it attributes them (``“A,” he said. “B”``,
  not ``“A” and “B”``), since it is not the speaker's words.
- ``altered``: a word was changed, added or dropped (or re-cased beyond the first letter), and
  the quotation still comes from one place. A word-level diff is given.
- ``spliced``: the quotation joins pieces that do not follow each other in the source: of two
  documents, in reverse order, of sentences that are not adjacent (even with an ellipsis), or of
  adjacent sentences with words dropped on both sides of the boundary and no ellipsis.
- ``truncated``: the words are exact, but what was left out in the same sentence and the same
  voice (the quoted speech if the match is inside quotation marks, the narration otherwise)
  reverses or limits them: a negation or doubt frame just before the fragment ("there is no
  consensus that …", "not", "whether", "if", "denied that", "it is false that"), a condition or
  exception just after it ("unless", "only if", "except"), a "… is a myth/false" verdict after
  it, or a negation hidden by an ellipsis.
- ``not_quoted``: the words are exact, but the source gives them as reported speech, in its own words
  and outside quotation marks ("Rubio says he opposes gun violence"), in an article that marks its
  quotations: they are not the speaker's quoted words. (Narration no one is said to speak, and a
  document with no quotation marks at all, are quoted as they stand: ``exact``.)
- ``not_found``: fewer than half of the quotation's words (and fewer than two) can be placed in
  any one passage; the nearest passages are returned, ranked with rapidfuzz.

The word alignment uses difflib (its longest-contiguous-block matching suits quotations better
than a minimum-edit alignment, which scatters single common words); candidate ranking uses
rapidfuzz. The junction rules are written here because no library knows about sentences,
ellipses and speech tags.
"""

from __future__ import annotations

from debatebot.core.errors import InputError
from debatebot.verify.quotes.results import QuoteResult
from debatebot.verify.quotes.rules import QuoteRules
from debatebot.verify.quotes.word_index import MatchBlock, tokenize_quote

MAX_QUOTE_WORDS = 1000


class QuoteVerifier(QuoteRules):
    """Verify quotations against a fixed set of documents (index built once, at init)."""

    def verify(self, quote: str, speaker: str | None = None) -> QuoteResult:
        """Verdict, location, diff, context and speaker check for one quotation."""
        if quote is None or not str(quote).strip():
            raise InputError("The quotation is empty.", hint="Paste the words you want to check.")
        raw = str(quote).strip()
        q = tokenize_quote(raw)
        if not q:
            raise InputError("The quotation has no words to check.", hint="Paste the quoted words themselves.")
        if len(q) > MAX_QUOTE_WORDS:
            raise InputError(f"The quotation is too long ({len(q)} words; at most {MAX_QUOTE_WORDS}).")
        claimed = speaker.strip() if speaker and speaker.strip() else None
        n = len(q)
        regions = self._regions(self._hits(q), n)
        best: list[MatchBlock] = []
        best_score = -1.0
        best_region = None
        for _score, lo, hi in regions:
            blocks = self._align(q, list(range(n)), lo, hi)
            matched = sum(b.size for b in blocks)
            span = (blocks[-1].pos + blocks[-1].size - blocks[0].pos) if blocks else 0
            s = matched - 0.001 * span
            if s > best_score:
                best, best_score, best_region = blocks, s, (lo, hi)
        if best:
            best = self._fill_from_other_regions(q, best, regions, best_region)
        matched = sum(b.size for b in best)
        need = 1 if n == 1 else max(2, -(-n // 2))
        if matched < need:
            return self._not_found(raw, q, regions, claimed, matched)
        return self._classify(raw, q, best, claimed)
