"""Reading source files into `SourceDocument`s: .txt, .md, .html/.htm, .pdf.

The text kept is the text a reader sees (for HTML and PDF, the extracted text); every offset
debatebot shows points into exactly that text."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from debatebot.core.errors import IngestError, InputError, UnsupportedFileError
from debatebot.core.settings import SEEDS_DIR
from debatebot.core.text import SourceDocument

_HTML_BLOCKS = ["p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
                "article", "blockquote", "pre", "header", "footer", "main", "aside", "nav", "figure", "figcaption",
                "dt", "dd", "hr", "title"]
SUPPORTED = {".txt": "text", ".md": "text", ".markdown": "text", ".html": "html", ".htm": "html", ".pdf": "pdf"}
# A "sentence" longer than this (no sentence end, no line break) is data, not prose: it cannot be quoted
# usefully and the evidence engine's sentence analysis slows down sharply on it (minutes at 5 MB).
MAX_SENTENCE_CHARS = 20_000


@dataclass(frozen=True)
class SourceFile:
    path: Path  # absolute path on disk
    doc_id: str  # path relative to where it was indexed from


def doc_id_for(path: Path, root: Path | None = None) -> str:
    """The id of a file (or of a folder: the prefix of its files' ids): `seeds/<name>` for the packaged
    seeds, else the path relative to the working directory when it lies below it, else relative to
    the parent of the root it was found under (so `seeds/a.txt`-style ids)."""
    path = path.resolve()
    try:  # the packaged seeds are `seeds/…` (the folder itself `seeds`) wherever the package is installed
        return PurePosixPath("seeds", path.relative_to(SEEDS_DIR.resolve()).as_posix()).as_posix()
    except ValueError:
        pass
    cwd = Path.cwd().resolve()
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        pass
    if root is not None:
        base = root.resolve()
        base = base.parent if base.is_dir() or base == path else base.parent
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            pass
    return path.name


def discover(paths: Iterable[str | Path]) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Files to ingest under `paths` (files or folders, recursive), and (path, reason) for skipped ones.

    A missing path raises InputError: nothing is indexed from a command that names a wrong path."""
    found: dict[str, SourceFile] = {}
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        p = Path(raw).expanduser()
        if not p.exists():
            raise InputError(f"No such file or folder: {raw}")
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if not f.is_file() or any(part.startswith(".") for part in f.relative_to(p).parts):
                    continue
                if f.suffix.lower() in SUPPORTED:
                    sf = SourceFile(f.resolve(), doc_id_for(f, p))
                    found.setdefault(sf.doc_id, sf)
                else:
                    skipped.append((str(f), f"unsupported type '{f.suffix or '(none)'}'"))
        else:
            if p.suffix.lower() not in SUPPORTED:
                skipped.append((str(p), f"unsupported type '{p.suffix or '(none)'}'"))
                continue
            sf = SourceFile(p.resolve(), doc_id_for(p, p))
            found.setdefault(sf.doc_id, sf)
    return list(found.values()), skipped


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), else the encoding charset_normalizer detects; binary is refused."""
    if not data.strip():
        raise IngestError(f"{name}: the file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise IngestError(f"{name}: invalid UTF-16 text") from e
    sample = data[:65536]
    if b"\x00" in sample:
        raise IngestError(f"{name}: looks like a binary file, not text")
    try:
        return _refuse_binary(data.decode("utf-8-sig"), name)
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")  # the usual legacy encoding of English-language text
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is None:
            raise IngestError(f"{name}: not readable as text in any known encoding") from None
        text = str(best)
    return _refuse_binary(text, name)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")  # control characters other than \t \n \f \r


def _refuse_binary(text: str, name: str) -> str:
    head = text[:65536]
    controls = len(_CONTROL.findall(head))
    if controls > 0.01 * max(1, len(head)):
        raise IngestError(f"{name}: looks like a binary file, not text")
    return text


def _html_to_text(html: str) -> tuple[str, str | None]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup(["script", "style", "noscript", "template", "head", "iframe", "object", "svg"]):
        tag.decompose()
    blocks = []
    for block in re.split(r"\n\s*\n", _block_text(soup)):
        block = " ".join(block.split())
        if block:
            blocks.append(block)
    return "\n\n".join(blocks), title or None


def _block_text(soup) -> str:
    """The soup's text with a blank line around every block element and a newline for <br>.

    An explicit stack, one visit per node: linear and recursion-free even on 10,000-deep nesting
    (inserting separators into the tree is quadratic in the depth)."""
    from bs4.element import CData, NavigableString, PreformattedString, Tag

    blocks = set(_HTML_BLOCKS)
    out: list[str] = []
    stack: list = [soup]
    while stack:
        node = stack.pop()
        if node is None:  # the end of a block element
            out.append("\n\n")
        elif isinstance(node, Tag):
            if node.name == "br":
                out.append("\n")
                continue
            if node.name in blocks:
                out.append("\n\n")
                stack.append(None)
            stack.extend(reversed(node.contents))
        elif isinstance(node, CData) or (isinstance(node, NavigableString)
                                         and not isinstance(node, PreformattedString)):
            out.append(str(node))  # text and CDATA; not comments, doctypes or processing instructions
    return "".join(out)


# Reading a PDF runs in a child interpreter (only pypdf imported, ~0.2 s to start) that is killed at the
# time limit: a PDF whose one compressed page is referenced many times in /Kids, or whose content
# stream holds millions of operands, can take minutes and gigabytes in pypdf, and no pypdf option
# bounds that. The child stops extracting as soon as the text passes the character limit.
_PDF_CHILD = r"""
import json, sys
path, max_chars = sys.argv[1], int(sys.argv[2])
def out(**kw):
    sys.stdout.write(json.dumps(kw)); sys.stdout.flush(); sys.exit(0)
try:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
except Exception as e:
    out(status="error", message="pypdf is not installed (%s)" % type(e).__name__)
try:
    reader = PdfReader(path)
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except Exception as e:
            out(status="encrypted", message="the PDF is encrypted and cannot be read (%s)" % e)
        if not ok:
            out(status="encrypted", message="the PDF is encrypted (password protected)")
    pages, total = [], 0
    for page in reader.pages:
        t = (page.extract_text() or "").strip()
        total += len(t) + 2
        if total > max_chars:
            out(status="too_long", chars=total, pages=len(pages) + 1)
        pages.append(t)
    out(status="ok", pages=pages)
except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError, AttributeError) as e:
    out(status="error", message="not a readable PDF (%s: %s)" % (type(e).__name__, e))
except MemoryError:
    out(status="error", message="not a readable PDF (it needs more memory than is available)")
"""


def _pdf_to_text(path: Path, name: str, max_chars: int | None = None, max_seconds: float | None = None) -> str:
    import json
    import subprocess
    import sys

    max_chars, max_seconds = _limits(max_chars, max_seconds)
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as e:
        raise IngestError(f"{name}: cannot read file ({e.strerror or e})") from e
    if b"%PDF-" not in head:  # readers look for the header in the first 1024 bytes; no child for a non-PDF
        raise IngestError(f"{name}: not a readable PDF (no PDF header)")
    try:
        run = subprocess.run([sys.executable, "-I", "-c", _PDF_CHILD, str(path), str(max_chars)],
                             capture_output=True, timeout=max_seconds, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:  # subprocess.run kills the child before raising
        raise IngestError(f"{name}: reading the PDF took longer than {max_seconds:g} s (the limit per file, "
                          "DEBATEBOT_MAX_PARSE_SECONDS); nothing of it was indexed",
                          hint="A PDF that repeats a page or a content stream many times can do this; "
                          "export its text to a .txt file, or raise the limit.") from None
    except OSError as e:
        raise IngestError(f"{name}: the PDF reader could not be started ({e.strerror or e})") from e
    try:
        res = json.loads(run.stdout.decode("utf-8") or "null")
    except ValueError:
        res = None
    if not isinstance(res, dict):
        why = "it ran out of memory" if run.returncode in (-9, 137) else f"exit code {run.returncode}"
        raise IngestError(f"{name}: not a readable PDF (the reader stopped: {why})")
    status = res.get("status")
    if status == "too_long":
        raise _too_long(name, max_chars, f"page {res.get('pages')} of the PDF")
    if status in ("encrypted", "error"):
        raise IngestError(f"{name}: {res.get('message')}")
    text = "\n\n".join(p for p in res.get("pages") or [] if p)
    if not text.strip():
        raise IngestError(f"{name}: the PDF has no extractable text (scanned images?)")
    return text


def _limits(max_chars: int | None, max_seconds: float | None) -> tuple[int, float]:
    if max_chars is None or max_seconds is None:
        from debatebot.core.settings import get_settings

        s = get_settings()
        max_chars = s.limits.max_doc_chars if max_chars is None else max_chars
        max_seconds = s.limits.max_parse_seconds if max_seconds is None else max_seconds
    return int(max_chars), float(max_seconds)


def _too_long(name: str, max_chars: int, where: str = "") -> IngestError:
    at = f" (reached at {where})" if where else ""
    return IngestError(f"{name}: the file yields more than {max_chars:,} characters of text{at}, the limit per file "
                       "(DEBATEBOT_MAX_DOC_CHARS); nothing of it was indexed",
                       hint="Split the document, or raise DEBATEBOT_MAX_DOC_CHARS.")


def load_file(sf: SourceFile, *, max_chars: int | None = None, max_seconds: float | None = None,
              max_mb: float | None = None) -> SourceDocument:
    """Read one file. Raises IngestError/UnsupportedFileError with a message naming the file.

    At most `max_mb` MB of file (default: settings.limits.max_file_mb), `max_chars` characters of text
    (settings.limits.max_doc_chars) and, for a PDF, at most `max_seconds` of reading
    (settings.limits.max_parse_seconds): past any, nothing of the file is used."""
    max_chars, max_seconds = _limits(max_chars, max_seconds)
    if max_mb is None:
        from debatebot.core.settings import get_settings

        max_mb = get_settings().limits.max_file_mb
    kind = SUPPORTED.get(sf.path.suffix.lower())
    if kind is None:
        raise UnsupportedFileError(f"{sf.doc_id}: unsupported file type '{sf.path.suffix}'")
    try:
        size = sf.path.stat().st_size
        if size > max_mb * 1024 * 1024:
            raise IngestError(f"{sf.doc_id}: file too large ({size / 1e6:.0f} MB; the limit is {max_mb:g} MB)",
                              hint="Split the file, or raise DEBATEBOT_LIMITS__MAX_FILE_MB.")
        if kind == "pdf":
            return _prose(SourceDocument.from_text(sf.doc_id, _pdf_to_text(sf.path, sf.doc_id, max_chars, max_seconds)))
        data = sf.path.read_bytes()
    except OSError as e:
        raise IngestError(f"{sf.doc_id}: cannot read file ({e.strerror or e})") from e
    text = decode_text(data, sf.doc_id)
    title = None
    if kind == "html":
        text, title = _html_to_text(text)
    if not text.strip():
        raise IngestError(f"{sf.doc_id}: no text in the file")
    if len(text) > max_chars:
        raise _too_long(sf.doc_id, max_chars)
    return _prose(SourceDocument.from_text(sf.doc_id, text, title))


def load_text(doc_id: str, text: str, title: str | None = None) -> SourceDocument:
    """A document from a string (Python API, tests)."""
    if not text or not text.strip():
        raise IngestError(f"{doc_id}: the text is empty")
    return _prose(SourceDocument.from_text(doc_id, text, title))


def _prose(doc: SourceDocument) -> SourceDocument:
    """Refuse a document with a run of text too long to be a sentence (e.g. a 5 MB single line)."""
    longest = max((s.end - s.start for s in doc.sentences), default=0)
    if longest > MAX_SENTENCE_CHARS:
        raise IngestError(f"{doc.doc_id}: {longest:,} characters without a sentence end or line break "
                          f"(at most {MAX_SENTENCE_CHARS:,}); this does not look like prose",
                          hint="Split the text into sentences or lines.")
    return doc


def iter_documents(files: list[SourceFile], *, max_chars: int | None = None, max_seconds: float | None = None,
                   max_mb: float | None = None) -> Iterator[tuple[SourceFile, SourceDocument | None, str | None]]:
    """(file, document, None) or (file, None, error message) for each file; never stops early."""
    for sf in files:
        try:
            yield sf, load_file(sf, max_chars=max_chars, max_seconds=max_seconds, max_mb=max_mb), None
        except IngestError as e:
            yield sf, None, str(e)
        except Exception as e:  # a broken file must not stop the others
            yield sf, None, f"{sf.doc_id}: could not be read ({type(e).__name__}: {e})"


def safe_name(name: str) -> str:
    """A file name that cannot escape a folder: base name only, no NUL/control chars, bounded."""
    base = os.path.basename(name.replace("\\", "/").replace("\x00", ""))
    base = "".join(c for c in base if c.isprintable() and c not in '<>:"|?*').strip(" .")
    if not base:
        base = "upload.txt"
    stem, dot, ext = base.rpartition(".")
    stem, ext = (stem, "." + ext[:16]) if dot and stem else (base, "")
    stem = stem[:120]
    # at most 120 characters and 200 bytes of UTF-8 (file systems allow 255 bytes, not characters)
    while stem[1:] and (len(stem) + len(ext) > 120 or len((stem + ext).encode("utf-8")) > 200):
        stem = stem[:-1]
    return stem + ext
