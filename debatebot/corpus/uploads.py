"""Files a user uploads (the web app): checked, read, indexed, and only then kept.

Each file is checked (type, size, name), copied under the upload folder as a hidden temporary
file, read with the same limits as any source (characters, seconds; outside the index lock),
indexed as `uploads/<safe name>`, and only once indexed moved into place. A file that fails
leaves nothing behind: no copy in the folder, and the stored copy of an earlier upload of the
same name stays as it was."""

from __future__ import annotations

import logging
import os
import shutil
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from debatebot.core.errors import DebatebotError
from debatebot.core.settings import DEFAULT_UPLOAD_DIR, Settings
from debatebot.corpus.indexer import IndexReport, Progress
from debatebot.corpus.ingest import SUPPORTED, SourceFile, iter_documents, safe_name
from debatebot.corpus.store import DocRecord

log = logging.getLogger(__name__)
UPLOAD_TYPES = sorted(SUPPORTED)
PREFIX = "uploads/"
# progress(done, total, what is happening)
UploadProgress = Callable[[int, int, str], None]
# Library.add_documents: index [(source label, document or None, error or None)]
AddDocuments = Callable[..., IndexReport]


@dataclass
class UploadReport:
    indexed: list[str] = field(default_factory=list)  # document ids added or updated
    unchanged: list[str] = field(default_factory=list)  # already indexed with the same text
    problems: list[str] = field(default_factory=list)  # one readable line per file not indexed

    def summary(self) -> str:
        parts: list[str] = []
        if self.indexed:
            parts.append(f"Indexed {len(self.indexed)} document(s): " + ", ".join(self.indexed))
        if self.unchanged:
            parts.append("Unchanged (already indexed): " + ", ".join(self.unchanged))
        if self.problems:
            parts.append("**Not indexed:**\n" + "\n".join(f"- {p}" for p in self.problems))
        return "\n\n".join(parts) or "Nothing to index."


def upload_folder(settings: Settings) -> Path:
    """Where uploads are kept: `settings.web.upload_dir`, or beside the index when left at its default."""
    if Path(settings.web.upload_dir) == DEFAULT_UPLOAD_DIR:
        return Path(settings.index.dir) / "uploads"
    return Path(settings.web.upload_dir)


def add_files(settings: Settings, add_documents: AddDocuments, files: Iterable[str | Path],
              progress: UploadProgress | None = None) -> UploadReport:
    """Check, read and index (with `add_documents`) uploaded files (see the module docstring); never
    raises for one bad file."""
    say = progress or (lambda done, total, what: None)
    report = UploadReport()
    s = settings
    limit = s.limits.max_upload_mb * 1024 * 1024
    folder = upload_folder(s).resolve()
    accepted: list[tuple[SourceFile, Path]] = []  # (file as read from its temporary copy, final path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        report.problems.append(f"cannot create the upload folder {folder}: {e.strerror or e}")
        return report
    try:
        for f in files:
            src = Path(f)
            name = safe_name(src.name)
            ext = Path(name).suffix.lower()
            if ext not in SUPPORTED:
                report.problems.append(f"{name}: unsupported file type — use {', '.join(UPLOAD_TYPES)}")
                continue
            try:
                size = src.stat().st_size
            except OSError:
                report.problems.append(f"{name}: the upload could not be read")
                continue
            if size > limit:
                report.problems.append(f"{name}: too large ({size / 1e6:.1f} MB; the limit is "
                                       f"{s.limits.max_upload_mb:g} MB)")
                continue
            dest = (folder / name).resolve()
            if dest.parent != folder:  # safe_name makes this impossible; checked anyway
                report.problems.append(f"{name}: refused (file name)")
                continue
            if any(d == dest for _, d in accepted):  # e.g. "a.txt" and "..\\a.txt" in one upload
                report.problems.append(f"{name}: another file of this upload has the same name; the first one was kept")
                continue
            tmp = folder / f".incoming-{uuid.uuid4().hex[:12]}{ext}"  # hidden: never listed, never indexed
            try:
                shutil.copyfile(src, tmp)
            except OSError as e:
                report.problems.append(f"{name}: the upload could not be stored ({e.strerror or e})")
                _unlink(tmp)
                continue
            accepted.append((SourceFile(path=tmp, doc_id=PREFIX + name), dest))
        if accepted:
            _index(settings, add_documents, accepted, report, say)
    finally:
        for sf, _ in accepted:  # whatever was not moved into place (failed, or an error) goes
            _unlink(sf.path)
    return report


def _index(s: Settings, add_documents: AddDocuments, accepted: list[tuple[SourceFile, Path]],
           report: UploadReport, say: UploadProgress) -> None:
    """Read the temporary copies (no lock held), index the readable ones, move them into place."""
    say(0, len(accepted), "Reading files")
    final = {sf.doc_id: dest for sf, dest in accepted}
    items = []
    for n, (sf, doc, err) in enumerate(iter_documents([sf for sf, _ in accepted], max_chars=s.limits.max_doc_chars,
                                                      max_seconds=s.limits.max_parse_seconds,
                                                      max_mb=s.limits.max_file_mb), 1):
        say(n, len(accepted), f"Reading {sf.doc_id}")
        if doc is None:
            report.problems.append(err or f"{sf.doc_id}: unreadable")
        else:
            items.append((f"file:{final[sf.doc_id]}", doc, None))
    if not items:
        return
    try:
        progress: Progress = lambda done, total, doc_id: say(done, total, f"Indexing {doc_id}")  # noqa: E731
        indexed = add_documents(items, progress=progress)
    except DebatebotError as e:
        report.problems.append("the index could not be written: " + e.user_message())
        return
    except Exception as e:  # the store failing in a way it does not name: still one readable line
        log.exception("upload indexing failed")
        report.problems.append(f"the index could not be written ({type(e).__name__}); the details are in the server log")
        return
    tmp_of = {sf.doc_id: sf.path for sf, _ in accepted}
    for doc_id in indexed.added + indexed.updated + indexed.unchanged:
        try:
            os.replace(tmp_of[doc_id], final[doc_id])  # the stored copy changes only once indexed
        except (KeyError, OSError) as e:
            log.warning("could not keep the upload %s: %s", doc_id, e)
    report.indexed = indexed.added + indexed.updated
    report.unchanged = list(indexed.unchanged)
    report.problems += [f"{f.get('doc') or f.get('source') or f.get('path', '')}: {f.get('error') or f.get('reason', '')}"
                        for f in indexed.failed]


def remove_copy(settings: Settings, record: DocRecord) -> None:
    """Drop the kept copy of a removed upload: only the file in the upload folder the record was
    indexed from (never a file outside the folder, nor one the index does not name as its source)."""
    if not record.doc_id.startswith(PREFIX):
        return
    folder = upload_folder(settings).resolve()
    path = (folder / safe_name(record.doc_id[len(PREFIX):])).resolve()
    if path.parent == folder and record.source == f"file:{path}" and path.is_file():
        _unlink(path)


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove %s", path)
