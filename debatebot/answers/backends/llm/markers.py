"""Citation markers: the model cites passages as [P3]; readers see numbered sources [n]. Prose is
converted as it streams, holding back a marker (or a secret) that is cut across chunks."""

from __future__ import annotations

import re

from debatebot.answers.compose import Citations
from debatebot.answers.guard import flag_unverified_quotes, unclosed_quote_at
from debatebot.core.models import Passage, Quote
from debatebot.core.sanitize import redact, secret_prefix_at_end
from debatebot.core.text import SourceDocument

_PMARK = re.compile(r"([ \t]*)\[\s*(P\d+(?:\s*[,;]\s*P?\d+)*)\s*\]", re.I)


def passage_quote(p: Passage, docs: dict[str, SourceDocument]) -> Quote:
    """The whole passage as a citable source entry (exact slice of its document)."""
    doc = docs.get(p.doc)
    text = doc.text[p.start : p.end] if doc is not None else p.text
    return Quote(text=text, doc=p.doc, start=p.start, end=p.end, paragraph=p.paragraph,
                 title=p.title or (doc.title if doc else ""), passage_id=p.id)


def convert_markers(text: str, labels: dict[str, Passage], docs: dict[str, SourceDocument], cites: Citations,
                    unknown: set[str] | None = None) -> str:
    """Replace [P3] / [P3, P5] markers by numbered markers [n]; unknown labels are removed."""

    def sub(m: re.Match[str]) -> str:
        out = []
        for part in re.split(r"\s*[,;]\s*", m.group(2)):
            label = "P" + re.sub(r"\D", "", part)
            p = labels.get(label)
            if p is None:
                if unknown is not None:
                    unknown.add(label)
                continue
            n = cites.mark(passage_quote(p, docs))
            if f"[{n}]" not in out:
                out.append(f"[{n}]")
        return m.group(1) + "".join(out) if out else ""  # a removed marker takes its leading space along

    return _PMARK.sub(sub, text)


class ProseStreamer:
    """Turns the growing answer text into markdown fragments that are safe to show at once: a marker
    is never cut in two, a quotation is held back until it closes and has been checked against the
    passages (an unverified one goes out flagged, never as if verified), a `> ` quoted line until it
    ends, and the API key is redacted (a fragment that may end in the start of it waits)."""

    def __init__(self, labels: dict[str, Passage], docs: dict[str, SourceDocument],
                 secrets: tuple[str, ...] = ()) -> None:
        self.labels, self.docs = labels, docs
        self.passages = list(labels.values())
        self.secrets = secrets
        self.cites = Citations()
        self.pending = ""

    def feed(self, new: str, *, final: bool = False) -> str:
        self.pending += new
        cut = len(self.pending)
        if not final:
            k = self.pending.rfind("[")
            if k != -1 and "]" not in self.pending[k:] and len(self.pending) - k < 24:
                cut = k
            q = unclosed_quote_at(self.pending[:cut])
            if q is not None:
                cut = q
            line = self.pending.rfind("\n", 0, cut) + 1
            if self.pending[line:cut].lstrip(" \t").startswith(">"):  # a quoted line is checked once whole
                cut = line
            cut -= secret_prefix_at_end(self.pending[:cut], self.secrets)
            while cut > 0 and self.pending[cut - 1] in " \t":  # a dropped marker takes its space along
                cut -= 1
        ready, self.pending = self.pending[:cut], self.pending[cut:]
        if not ready:
            return ""
        md = convert_markers(redact(ready, self.secrets), self.labels, self.docs, self.cites)
        md, _ = flag_unverified_quotes(md, self.passages, self.docs)  # the notices come with the final answer
        return md

