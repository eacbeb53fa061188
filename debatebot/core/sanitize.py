"""What untrusted text (documents, what the user typed, an LLM's prose) may carry into a page or a
Markdown file, and how it is neutralised before it is shown: raw HTML, links and images, bare URLs
that a renderer would linkify, bidirectional-override characters, and secrets.

Only the *display* of text changes here; quotations keep their exact text and offsets everywhere
else. Hand-written because the one maintained sanitiser for this (bleach/nh3) cleans HTML, not
Markdown that a viewer will turn into HTML, and neither is installed."""

from __future__ import annotations

import re
from html import escape

# Characters that reorder the text around them (embeddings, overrides, isolates): a source could make
# "0001" display as "1000". Marks (U+200E/U+200F, U+061C) only nudge neutral characters and stay.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_CONTROLS}]")
_BLOCKQUOTE_START = re.compile(r"(?m)^([ \t]*)((?:&gt;[ \t]?)+)")
# What Markdown renderers (GFM autolinks, linkify-it) turn into links without any [..](..) syntax
_SCHEME = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]{1,20}):(?=//)")
_WWW = re.compile(r"(?i)\b(www)\.")
_EMAIL = re.compile(r"(?<=[\w.+\-])@(?=[\w\-]+\.)")
_JS_LINK = re.compile(r"(?i)\b(javascript|vbscript|data(?=:[a-z]+/)):")


def show_bidi(text: str) -> str:
    """Every bidi embedding/override/isolate character replaced by a visible `[U+202E]` tag."""
    return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", text) if text else text


def defang_links(text: str) -> str:
    """Bare URLs, `www.` hosts and e-mail addresses as text a renderer will not linkify (entities, so
    they still read the same): `https://x` -> `https&#58;//x`."""
    text = _SCHEME.sub(r"\1&#58;", text)
    text = _WWW.sub(r"\1&#46;", text)
    text = _EMAIL.sub("&#64;", text)
    return _JS_LINK.sub(r"\1&#58;", text)


def escape_markdown(md: str, *, keep_blockquotes: bool = True) -> str:
    """Markdown that shows `md` as text: no raw HTML (escaped), no links or images ([x](y) is broken
    up), no bare URLs (defanged), bidi controls made visible. Emphasis, lists, headings and (when
    `keep_blockquotes`) `> ` block quotes keep working."""
    out = escape(show_bidi(md or ""), quote=False)
    if keep_blockquotes:
        out = _BLOCKQUOTE_START.sub(lambda m: m.group(1) + m.group(2).replace("&gt;", ">"), out)
    out = out.replace("](", "]&#40;")  # [text](url) / ![img](url) never becomes a link or an image
    return defang_links(out)


def escape_html(text: str) -> str:
    """Text for an HTML page: <, >, &, quotes escaped, bidi controls made visible."""
    return escape(show_bidi(text or ""), quote=True)


def redact(text: str, secrets: list[str] | tuple[str, ...] = ()) -> str:
    """`text` with each secret (4+ characters) and anything shaped like an OpenAI key replaced by ***."""
    if not text:
        return text
    for s in secrets:
        if s and len(s) >= 4:
            text = text.replace(s, "***")
    return re.sub(r"\b(sk-[A-Za-z0-9_\-]{4})[A-Za-z0-9_\-]{8,}", r"\1***", text)


def secret_prefix_at_end(text: str, secrets: list[str] | tuple[str, ...] = ()) -> int:
    """How many characters at the end of `text` could be the start of a secret (or of an `sk-` key)
    that the next fragment completes: a stream holds them back until it knows."""
    hold = 0
    for s in secrets:
        if not s or len(s) < 4:
            continue
        for n in range(min(len(s) - 1, len(text)), 0, -1):
            if text.endswith(s[:n]):
                hold = max(hold, n)
                break
    m = re.search(r"(?:\bs|\bsk|\bsk-[A-Za-z0-9_\-]*)$", text)
    if m:
        hold = max(hold, len(m.group()))
    return hold
