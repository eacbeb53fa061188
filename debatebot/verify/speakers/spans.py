"""Quotations in a document: the spans between quote marks, and the one that holds a stretch of text."""

from __future__ import annotations

import re
from collections import OrderedDict

from debatebot.core.text import SourceDocument

_QCACHE: OrderedDict[tuple[str, str], list[tuple[int, int]]] = OrderedDict()


def quote_intervals(doc: SourceDocument) -> list[tuple[int, int]]:
    """[start, end) of every quotation in the document, quote marks included.

    Curly marks open/close, straight double quotes toggle; a quotation still open at the end of
    its paragraph runs to the paragraph end (the news convention for speech over paragraphs)."""
    key = (doc.doc_id, doc.sha256)
    hit = _QCACHE.get(key)
    if hit is not None:
        return hit
    text = doc.text
    out: list[tuple[int, int]] = []
    for p in doc.paragraphs or []:
        open_at: int | None = None
        depth = 0  # nested curly quotations: “… “hell” …”
        for m in re.finditer(r"[\u201c\u201d\"]", text[p.start : p.end]):
            pos = p.start + m.start()
            ch = m.group()
            left_flanking = (pos + 1 < len(text) and text[pos + 1].isalnum()
                             and (pos == 0 or text[pos - 1].isspace() or pos == p.start))
            if ch == "\u201c" or (ch == '"' and open_at is None) or (ch == "\u201d" and open_at is None and left_flanking):
                if open_at is None:
                    open_at, depth = pos, 1
                elif ch == "\u201c":
                    depth += 1
            elif open_at is not None and ch == "\u201d" and depth > 1:
                depth -= 1
            elif open_at is not None:
                out.append((open_at, pos + 1))
                open_at, depth = None, 0
            elif not out or out[-1][1] <= p.start:  # closing mark with no opening: paragraph continues a quote
                out.append((p.start, pos + 1))
        if open_at is not None:
            out.append((open_at, p.end))
    out.sort()
    _QCACHE[key] = out
    if len(_QCACHE) > 4096:
        _QCACHE.popitem(last=False)
    return out


def enclosing(iv: list[tuple[int, int]], start: int, end: int) -> tuple[int, int] | None:
    for a, b in iv:
        if a <= start < b or (start <= a < end):
            return a, b
        if a > end:
            break
    return None
