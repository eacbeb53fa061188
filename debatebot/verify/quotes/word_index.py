"""The word index the quote verifier searches: quotation tokens, and every document split into word
tokens with their offsets, sentence, paragraph and whether they lie inside quotation marks, with a
word-trigram index (sorted numpy keys: a look-up is a binary search)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from debatebot.core.text import SourceDocument
from debatebot.verify.speakers import quote_intervals

# A word: a number with inner separators ("5,000", "3.8") or letters with inner apostrophes or
# dots ("don't", "U.S"). Hyphens and dashes separate words, so "well-known" = well known.
WORD = re.compile(r"\d+(?:[.,:]\d+)*|\w+(?:['\u2019\u2018\u02bc.]\w+)*")
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
ELLIPSIS = re.compile(r"[\[(]\s*(?:\.\s*){3,}[\])]|[\[(]\s*\u2026\s*[\])]|(?:\.\s*){3,}|\u2026")

# ---------------------------------------------------------------------------------------------
# Tokens of the quotation
# ---------------------------------------------------------------------------------------------
@dataclass
class QuoteToken:
    key: str
    surface: str
    start: int  # offsets into the (stripped) quotation
    end: int
    piece_start: bool  # first word of the quotation or of a piece after an ellipsis


def word_key(word: str) -> str:
    return word.translate(APOSTROPHES).lower()


def tokenize_quote(quote: str) -> list[QuoteToken]:
    toks: list[QuoteToken] = []
    pos = 0
    cuts = [(m.start(), m.end()) for m in ELLIPSIS.finditer(quote)] + [(len(quote), len(quote))]
    for a, b in cuts:
        first = True
        for m in WORD.finditer(quote, pos, a):
            w = m.group()
            toks.append(QuoteToken(word_key(w), w.translate(APOSTROPHES), m.start(), m.end(), first))
            first = False
        pos = b
    return toks


# ---------------------------------------------------------------------------------------------
# Corpus index
# ---------------------------------------------------------------------------------------------
@dataclass
class MatchBlock:
    q: int  # first quotation word
    pos: int  # first corpus token
    size: int


class WordIndex:
    """Word tokens of every document, their metadata, and trigram / unigram indexes."""

    def __init__(self, docs: list[SourceDocument]) -> None:
        self.docs = docs
        vocab: dict[str, str] = {}  # interns the keys (one string object per distinct word)
        keys: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        tok_doc: list[np.ndarray] = []
        tok_sent: list[np.ndarray] = []
        tok_para: list[np.ndarray] = []
        tok_inq: list[np.ndarray] = []
        tok_qid: list[np.ndarray] = []  # which quotation (corpus-wide number) a token is in, -1 if none
        n_quotes = 0
        self.doc_first: list[int] = []
        for di, doc in enumerate(docs):
            self.doc_first.append(len(keys))
            text = doc.text
            spans = [m.span() for m in WORD.finditer(text)]
            st = np.fromiter((a for a, _ in spans), dtype=np.int64, count=len(spans))
            keys.extend(vocab.setdefault(k, k) for k in (word_key(text[a:b]) for a, b in spans))
            starts.extend(a for a, _ in spans)
            ends.extend(b for _, b in spans)
            tok_doc.append(np.full(len(spans), di, dtype=np.int32))
            sent_starts = np.array([s.start for s in doc.sentences] or [0], dtype=np.int64)
            tok_sent.append(np.maximum(np.searchsorted(sent_starts, st, "right") - 1, 0).astype(np.int32))
            par_starts = np.array([p.start for p in doc.paragraphs] or [0], dtype=np.int64)
            tok_para.append(np.maximum(np.searchsorted(par_starts, st, "right") - 1, 0).astype(np.int32))
            iv = quote_intervals(doc)
            if iv:
                qa = np.array([a for a, _ in iv], dtype=np.int64)
                qb = np.array([b for _, b in iv], dtype=np.int64)
                j = np.searchsorted(qa, st, "right") - 1
                inq = (j >= 0) & (st < qb[np.maximum(j, 0)])
                qid = np.where(inq, j + n_quotes, -1)
            else:
                inq = np.zeros(len(spans), dtype=bool)
                qid = np.full(len(spans), -1, dtype=np.int64)
            n_quotes += len(iv)
            tok_inq.append(inq)
            tok_qid.append(qid.astype(np.int32))
        self.doc_first.append(len(keys))
        self.keys = keys
        self.start = np.array(starts, dtype=np.int64)
        self.end = np.array(ends, dtype=np.int64)
        cat = (lambda xs, dt: np.concatenate(xs) if xs else np.zeros(0, dtype=dt))
        self.doc = cat(tok_doc, np.int32)
        self.sent = cat(tok_sent, np.int32)
        self.para = cat(tok_para, np.int32)
        self.inq = cat(tok_inq, bool)
        self.qid = cat(tok_qid, np.int32)
        ids_of = {k: i for i, k in enumerate(vocab)}
        self.ids_of = ids_of
        ids = np.fromiter((ids_of[k] for k in keys), dtype=np.int64, count=len(keys))
        self.V = max(1, len(ids_of))
        self.uni_order = np.argsort(ids, kind="stable")
        self.uni_sorted = ids[self.uni_order]
        if len(ids) >= 3:
            tri = (ids[:-2] * self.V + ids[1:-1]) * self.V + ids[2:]
            tri[self.doc[:-2] != self.doc[2:]] = -1
        else:
            tri = np.zeros(0, dtype=np.int64)
        self.tri_order = np.argsort(tri, kind="stable")
        self.tri_sorted = tri[self.tri_order]

    def __len__(self) -> int:
        return len(self.keys)

    def postings(self, sorted_keys: np.ndarray, order: np.ndarray, key: int) -> np.ndarray:
        lo = int(np.searchsorted(sorted_keys, key, "left"))
        hi = int(np.searchsorted(sorted_keys, key, "right"))
        return order[lo:hi]

    def doc_of(self, pos: int) -> SourceDocument:
        return self.docs[int(self.doc[pos])]

    def doc_bounds(self, pos: int) -> tuple[int, int]:
        d = int(self.doc[pos])
        return self.doc_first[d], self.doc_first[d + 1]


