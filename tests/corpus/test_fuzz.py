"""Fuzzing: hostile files and hostile questions.

Files (random bytes, random text in several encodings, a 5 MB single line, HTML nested 10,000 deep,
truncated / encrypted PDFs, a zip renamed .pdf, NUL bytes, RTL and emoji text; file names with
`../`, NUL, 500 characters, RTL and emoji) go through ingestion, the indexer and the app's upload
handler. Questions (1 MB, control characters, RTL, emoji, random Unicode) go through `Engine.run` in
every mode (offline engine, hash embedder).

Expected every time: a normal result, or a clear `DebatebotError` (for files: a failure recorded in
the IndexReport) - never another exception type, never a crash, never a file written outside the
test's temporary folders (the repository tree is compared before and after; uploads must land in
the upload folder). Hostile files are generated in tmp_path at test time (`tests/fixtures/hostile/`
holds only small text fixtures). Hypothesis runs a bounded, derandomized number of examples; the
number of inputs fuzzed is printed at the end of the module and written to
`<pytest basetemp>/fuzz_metrics.json`."""

from __future__ import annotations

import io
import json
import os
import random
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from debatebot.core.errors import DebatebotError
from debatebot.core.models import Answer, Mode, Request
from debatebot.corpus.ingest import SUPPORTED, SourceFile, iter_documents, load_file, safe_name
from tests.conftest import FIXTURES, ROOT, SEED, make_settings

COUNTS: Counter = Counter()  # inputs fuzzed, per kind
COUNTS_OUTCOME: Counter = Counter()  # questions: answered / refused with a DebatebotError
FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
MOTION = "European NATO members should be prepared to use anti-personnel mines"
SKIP_DIRS = {".git", ".venv", "__pycache__", ".pytest_cache", ".hypothesis", ".ruff_cache", ".mypy_cache",
             "node_modules", "debatebot.egg-info"}


# ---- the filesystem guard ------------------------------------------------------------------------------
def _tree(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS]
        for f in filenames:
            p = os.path.join(dirpath, f)
            try:
                st_ = os.lstat(p)
            except OSError:
                continue
            out[p] = (st_.st_size, st_.st_mtime_ns)
    return out


@pytest.fixture
def repo_untouched():
    """Fails the test if a file appears in the repository (or one under index/ or seeds/ changes).

    Source files (*.py) are left out: colleagues may be editing them while the suite runs, and
    nothing debatebot writes at run time is Python source."""
    before = _tree(ROOT)
    yield
    after = _tree(ROOT)
    new = sorted(p for p in set(after) - set(before) if not p.endswith(".py"))
    changed = sorted(p for p in set(after) & set(before) if after[p] != before[p]
                     and Path(p).relative_to(ROOT).parts[0] in ("index", "seeds"))
    assert not new and not changed, f"files written in the repository: new {new[:10]}, changed {changed[:10]}"


@pytest.fixture(scope="module", autouse=True)
def _report(tmp_path_factory):
    yield
    total = sum(COUNTS.values())
    out = tmp_path_factory.getbasetemp() / "fuzz_metrics.json"
    out.write_text(json.dumps({"inputs_fuzzed": total, **COUNTS, "questions": dict(COUNTS_OUTCOME)}, indent=2),
                   encoding="utf-8")
    print(f"\nFUZZ inputs fuzzed: {total} {dict(COUNTS)}; questions {dict(COUNTS_OUTCOME)} (written to {out})")


# ---- hostile file makers -------------------------------------------------------------------------------
def pdf_bytes(lines: list[str]) -> bytes:
    """A small valid one-page PDF whose text layer holds `lines` (Helvetica, WinAnsi)."""
    def s(t: str) -> str:
        return t.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    content = "BT /F1 12 Tf 14 TL 72 720 Td " + " ".join(f"({s(t)}) Tj T*" for t in lines) + " ET"
    objs = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
         "/Resources << /Font << /F1 5 0 R >> >> >>"),
        f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objs, 1):
        offsets.append(out.tell())
        out.write(f"{n} 0 obj\n{body}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode())
    for off in offsets:
        out.write(f"{off:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def encrypted_pdf(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes(["Secret report on landmines.", "Mines are cheap."]))))
    w.encrypt(user_password=user_password, owner_password="owner-pw", algorithm="RC4-128")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("article.txt", "Landmines were banned by the Ottawa Convention. " * 50)
    return buf.getvalue()


RTL_EMOJI = ("مقالة عن الألغام الأرضية. الألغام المضادة للأفراد محظورة بموجب اتفاقية أوتاوا. 💣🪖\n\n"
             "מוקשים נגד אדם אסורים. 🇫🇮 Finland announced its withdrawal from the treaty. 😀👍🏽 "
             "\u202eRTL override\u202c and zero\u200bwidth joiners\u200d here.")


def hostile_files(folder: Path) -> dict[str, str]:
    """Write the hostile files; returns {file name: expected outcome ("indexed" | "failed")}."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    good_pdf = pdf_bytes(["Landmines and the Ottawa Convention.", "Finland said it would leave the treaty."])
    files: dict[str, tuple[bytes, str]] = {
        "huge_single_line.txt": (("mines are cheap and deadly " * (5 * 1024 * 1024 // 27 + 1)).encode(), "failed"),
        "nested_10k.html": (("<div>" * 10_000 + "<p>Deep text about mines.</p>" + "</div>" * 10_000).encode(), "indexed"),
        "good.pdf": (good_pdf, "indexed"),
        "truncated.pdf": (good_pdf[: len(good_pdf) // 2], "failed"),
        "encrypted.pdf": (encrypted_pdf("secret"), "failed"),
        "encrypted_empty_password.pdf": (encrypted_pdf(""), "indexed"),
        "zip_renamed.pdf": (zip_bytes(), "failed"),
        "random_bytes.txt": (bytes(rng.getrandbits(8) for _ in range(4096)), "failed"),
        "random_bytes.html": (bytes(rng.getrandbits(8) for _ in range(4096)), "failed"),
        "nul_bytes.txt": (b"Mines are cheap.\x00\x00\x00 Drones find them.\x00" * 20, "failed"),
        "empty.md": (b"", "failed"),
        "whitespace.txt": (b" \n\t\n  ", "failed"),
        "rtl_emoji.md": (RTL_EMOJI.encode("utf-8"), "indexed"),
        "utf16.txt": (RTL_EMOJI.encode("utf-16"), "indexed"),
        "مقالة 😀 \u202egnp.txt": (b"A file named in Arabic with emoji. Mines are cheap.", "indexed"),
        "x" * 200 + ".md": (b"A file with a 203-character name. Mines are cheap.", "indexed"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: outcome for name, (_, outcome) in files.items()}


def _assert_clean_failure(e: BaseException) -> None:
    assert isinstance(e, DebatebotError), f"{type(e).__name__}: {e}"
    assert str(e).strip()


# ---- ingestion -------------------------------------------------------------------------------------------
def _load_or_fail_cleanly(path: Path):
    """The document read from `path` (with some text), or None after a clean, user-facing failure."""
    try:
        doc = load_file(SourceFile(path, path.name))
    except Exception as e:  # noqa: BLE001 - any exception is caught to be judged
        _assert_clean_failure(e)
        return None
    assert doc.text.strip()
    return doc


@FUZZ
@given(data=st.binary(max_size=4096), ext=st.sampled_from(sorted(SUPPORTED)))
def test_fuzz_ingest_random_bytes(tmp_path, data, ext):
    COUNTS["ingest_random_bytes"] += 1
    path = Path(os.path.join(tmp_path, f"f{COUNTS['ingest_random_bytes']}{ext}"))
    path.write_bytes(data)
    doc = _load_or_fail_cleanly(path)
    if doc is not None:
        assert all(0 <= s.start < s.end <= len(doc.text) for s in doc.sentences)
    [(_, doc2, err)] = list(iter_documents([SourceFile(path, path.name)]))  # never raises
    assert (doc2 is None) != (err is None)


HOSTILE_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),  # any code point (controls, RTL marks, emoji, combining marks)
        st.sampled_from(list("مرحבא😀💣🇫🇮\u202e\u202d\u200b\u200d\u0000\x07\x1b\ufeff<>&\"'\\/.!?\n\t ")),
    ),
    max_size=2000,
)


@FUZZ
@given(text=HOSTILE_TEXT, ext=st.sampled_from([".txt", ".md", ".html"]),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
def test_fuzz_ingest_random_text(tmp_path, text, ext, encoding):
    COUNTS["ingest_random_text"] += 1
    path = Path(os.path.join(tmp_path, f"t{COUNTS['ingest_random_text']}{ext}"))
    path.write_bytes(text.encode(encoding, errors="replace"))
    doc = _load_or_fail_cleanly(path)
    if doc is not None:
        if ext != ".html" and encoding in ("utf-8", "utf-8-sig"):
            assert doc.text == text.lstrip("\ufeff") or doc.text == text  # the text kept is the text read


def test_hostile_files_are_indexed_or_fail_clearly(tmp_path, repo_untouched):
    from debatebot.answers.engine import Engine
    from debatebot.corpus.library import Library

    folder = tmp_path / "hostile"
    expected = hostile_files(folder)
    COUNTS["hostile_files"] += len(expected)
    lib = Library(make_settings(tmp_path))
    report = lib.index([folder, SEED])
    names = {Path(d).name: d for d in report.added}
    failed = {Path(f.get("doc") or f.get("source") or "").name: f.get("error", "") for f in report.failed}
    for name, outcome in expected.items():
        if outcome == "indexed":
            assert name in names, (name, failed.get(name))
        else:
            assert name in failed and failed[name].strip(), (name, names.keys())
    assert len(names) + len(failed) == len(expected) + 1  # + the seed: every file accounted for
    # refused as a run-on line, or (5 M characters) first by the per-file limit on extracted text
    assert ("without a sentence end" in failed["huge_single_line.txt"]
            or "DEBATEBOT_MAX_DOC_CHARS" in failed["huge_single_line.txt"])
    assert "encrypted" in failed["encrypted.pdf"]
    # the index is consistent: complete records, no duplicate chunks, texts as extracted
    recs = lib.docs()
    assert all(r.status == "complete" for r in recs)
    ids = lib.store.chunks.get(include=[])["ids"]
    assert len(ids) == len(set(ids)) == sum(r.chunks for r in recs)
    docs = lib.documents()
    assert "Deep text about mines." in docs[names["nested_10k.html"]].text
    assert "Finland said it would leave the treaty." in docs[names["good.pdf"]].text
    assert docs[names["rtl_emoji.md"]].text == RTL_EMOJI
    # every mode answers over the hostile documents
    eng = Engine(lib)
    for req in _mode_requests("Mines are cheap and deadly 💣 الألغام"):
        COUNTS["questions_over_hostile_index"] += 1
        _run(eng, req)


# ---- file names ----------------------------------------------------------------------------------------
NAMES = st.one_of(
    st.text(max_size=600),
    st.builds(lambda a, b, ext: a + b + ext,
              st.sampled_from(["../", "../../", "..\\..\\", "/etc/", "./", "%2e%2e%2f", "....//", "\x00", "", "C:\\"]),
              st.text(alphabet=st.characters(codec="utf-8"), max_size=520),
              st.sampled_from([".txt", ".md", ".pdf", ".html", "", ".", "\x00.txt", ".txt\x00.exe"])),
)


@FUZZ
@given(name=NAMES)
def test_fuzz_safe_name_never_escapes(tmp_path, name):
    COUNTS["file_names"] += 1
    folder = (tmp_path / "uploads").resolve()
    folder.mkdir(exist_ok=True)
    s = safe_name(name)
    assert s and s not in (".", "..") and "/" not in s and "\x00" not in s and "\\" not in s
    assert len(s) <= 120 and len(s.encode("utf-8")) <= 200
    dest = (folder / s).resolve()
    assert dest.parent == folder
    dest.write_bytes(b"x")  # a name the file system accepts
    dest.unlink()


def test_upload_handler_keeps_hostile_names_in_the_upload_folder(tmp_path, repo_untouched):
    from debatebot.answers.engine import Engine
    from debatebot.corpus.library import Library
    from debatebot.corpus.uploads import upload_folder as upload_dir_for
    from debatebot.interfaces.web.server import UI

    lib = Library(make_settings(tmp_path, upload_dir=tmp_path / "uploads"))
    lib.index([SEED])
    ui = UI(lib, Engine(lib))
    ui.refresh = lambda message=None: (message,)  # only the message matters here
    src = tmp_path / "incoming"
    src.mkdir()
    names = ["..\\..\\escape.txt", "%2e%2e%2fescape2.txt", "...txt", "\u202eevil\u202dtxt.md",
             "😀" * 60 + ".txt", "مقالة.md", "a" * 250 + ".txt", "nul_bytes.txt"]
    (src / "sub").mkdir()
    paths = []
    for n in names:
        p = src / n
        p.write_bytes(b"Mines are cheap. Drones find them." if n != "nul_bytes.txt" else b"a\x00b" * 10)
        paths.append(str(p))
    # a path whose name is ../ relative to gradio's cache (the handler only ever uses the base name)
    paths.append(str(src / "sub" / ".." / "..\\..\\escape.txt"))
    COUNTS["upload_names"] += len(paths)
    folder = upload_dir_for(lib.settings).resolve()
    out = ui.upload(paths, progress=lambda *a, **k: None)
    msg = out[1]
    assert "Indexed" in msg and "nul_bytes.txt" in msg  # indexed ones listed; the binary one refused
    assert "same name" in msg  # two uploads that both become escape.txt: the first kept, never a crash
    landed = list(folder.iterdir())
    assert landed and all(p.resolve().parent == folder for p in landed)
    assert not list(tmp_path.glob("escape*")) and not list(tmp_path.parent.glob("escape*"))
    assert not [p for p in tmp_path.rglob("*") if p.is_file() and "escape" in p.name and p.parent not in (folder, src)]
    for r in lib.docs():
        if r.doc_id.startswith("uploads/"):
            assert (folder / r.doc_id.split("/", 1)[1]).resolve().parent == folder


# ---- questions -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fuzz_engine(tmp_path_factory):
    from debatebot.answers.engine import Engine
    from debatebot.corpus.library import Library

    tmp = tmp_path_factory.mktemp("fuzz-engine")
    (tmp / "docs").mkdir()
    (tmp / "docs" / "rtl_emoji.md").write_text(RTL_EMOJI, encoding="utf-8")
    lib = Library(make_settings(tmp))
    lib.index([SEED, tmp / "docs"])
    return Engine(lib)


def _mode_requests(text: str, big: str | None = None) -> list[Request]:
    b = text if big is None else big
    return [
        Request(mode=Mode.ask, text=text),
        Request(mode=Mode.argue, side="for", motion=b, text=text),
        Request(mode=Mode.argue, side="against", motion=b, text=""),
        Request(mode=Mode.rebut, text=text, motion=b),
        Request(mode=Mode.check, text=text),
        Request(mode=Mode.quote, text=text, speaker=b),
        Request(mode=Mode.summary, text=text, topic=b),
        Request(mode=Mode.practice, text=text, motion=b, side="against"),
    ]


def _run(eng, req: Request) -> Answer | None:
    try:
        ans = eng.run(req)
    except Exception as e:  # noqa: BLE001 - any exception is caught to be judged
        _assert_clean_failure(e)
        COUNTS_OUTCOME["refused"] += 1
        return None
    COUNTS_OUTCOME["answered"] += 1
    assert isinstance(ans, Answer) and isinstance(ans.answer, str)
    docs = eng.library.documents()
    for q in [q for p in ans.points for q in p.quotes] + ans.sources:
        assert docs[q.doc].text[q.start : q.end] == q.text  # quotations stay verbatim, whatever was asked
    return ans


@settings(FUZZ, max_examples=100)
@given(mode=st.sampled_from(list(Mode)), text=HOSTILE_TEXT, side=st.sampled_from(["for", "against", None]),
       extra=st.one_of(st.none(), HOSTILE_TEXT))
def test_fuzz_questions_every_mode(fuzz_engine, repo_untouched, mode, text, side, extra):
    COUNTS["questions_random"] += 1
    _run(fuzz_engine, Request(mode=mode, text=text, side=side, motion=extra, speaker=extra, topic=extra))


QUESTIONS = {
    "1 MB": "Did 164 nations ratify the Ottawa Convention? " * (1024 * 1024 // 46 + 1),
    "control characters": "How many\x00 nations\x07 ratified\x1b[31m the\x08 Ottawa\r\nConvention?\x7f\u0085",
    "RTL": "كم عدد الدول التي صادقت على اتفاقية أوتاوا؟ \u202eCould Finland leave the treaty?\u202c",
    "emoji": "💣💣 How many 🇫🇮 nations ratified the Ottawa Convention? 👍🏽👨‍👩‍👧 ",
    "only emoji": "💣🪖😀",
    "only controls": "\x00\x01\x02\x1b\x7f",
    "markup": "<script>alert(1)</script> [x](javascript:alert(2)) {{7*7}} ${7*7} %s %n",
}


@pytest.mark.parametrize("kind", list(QUESTIONS))
def test_hostile_questions_every_mode(fuzz_engine, repo_untouched, kind):
    text = QUESTIONS[kind]
    big = "Mines should be banned " * (1024 * 1024 // 23 + 1) if kind == "1 MB" else None
    for req in _mode_requests(text, big):
        COUNTS["questions_explicit"] += 1
        ans = _run(fuzz_engine, req)
        if kind == "1 MB":
            assert ans is None  # refused clearly (InputError: too long), never processed
    if kind in ("control characters", "RTL", "emoji"):
        assert _run(fuzz_engine, Request(mode=Mode.ask, text=text)) is not None  # a real question still answers


def test_fixture_texts_ingest(tmp_path):
    """The committed hostile text fixtures (used by test_injection) are ordinary, readable sources."""
    for f in sorted((FIXTURES / "hostile").glob("*.*")):
        if f.suffix in SUPPORTED and f.name != "README.md":
            COUNTS["hostile_files"] += 1
            assert load_file(SourceFile(f, f.name)).text.strip()
