from pathlib import Path

import pytest

from debatebot.core.errors import IngestError, InputError
from debatebot.corpus.ingest import discover, load_file, safe_name


def _one(path: Path):
    files, _ = discover([path])
    assert len(files) == 1
    return load_file(files[0])


def test_txt_md_html(tmp_path):
    (tmp_path / "a.txt").write_text("Alpha line one. Alpha two.", encoding="utf-8")
    (tmp_path / "b.md").write_text("# Heading\n\nSome *markdown* text.", encoding="utf-8")
    (tmp_path / "c.html").write_text(
        "<html><head><title>Page T</title><script>alert(1)</script></head>"
        "<body><p>First para.</p><div><p>Second <b>bold</b> para.</p></div></body></html>", encoding="utf-8")
    assert _one(tmp_path / "a.txt").text == "Alpha line one. Alpha two."
    md = _one(tmp_path / "b.md")
    assert md.title == "Heading"
    html = _one(tmp_path / "c.html")
    assert html.title == "Page T"
    assert "alert" not in html.text and "First para." in html.text and "Second bold para." in html.text


def test_pdf(tmp_path):
    from pypdf import PdfWriter

    # a minimal PDF with text, written by hand (pypdf writes pages but not text content)
    content = b"BT /F1 12 Tf 72 720 Td (Mines were banned in 1997.) Tj ET"
    pdf = _minimal_pdf(content)
    (tmp_path / "d.pdf").write_bytes(pdf)
    doc = _one(tmp_path / "d.pdf")
    assert "Mines were banned in 1997." in doc.text
    # encrypted PDF: clear error
    w = PdfWriter()
    w.add_blank_page(100, 100)
    w.encrypt("secret")
    with open(tmp_path / "e.pdf", "wb") as f:
        w.write(f)
    with pytest.raises(IngestError, match="encrypted"):
        _one(tmp_path / "e.pdf")
    (tmp_path / "z.pdf").write_bytes(b"PK\x03\x04 this is a zip not a pdf")
    with pytest.raises(IngestError, match="PDF"):
        _one(tmp_path / "z.pdf")


def _minimal_pdf(stream: bytes) -> bytes:
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_encodings_and_bad_files(tmp_path):
    (tmp_path / "latin.txt").write_bytes("Caf\xe9 cr\xe8me, d\xe9j\xe0 vu. Na\xefve r\xe9sum\xe9 of the treaty.".encode("cp1252"))
    assert "Café crème" in _one(tmp_path / "latin.txt").text
    (tmp_path / "u16.txt").write_text("Hello from UTF-16.", encoding="utf-16")
    assert _one(tmp_path / "u16.txt").text == "Hello from UTF-16."
    (tmp_path / "empty.txt").write_text("   \n", encoding="utf-8")
    with pytest.raises(IngestError, match="empty"):
        _one(tmp_path / "empty.txt")
    (tmp_path / "bin.txt").write_bytes(bytes(range(256)) * 20)
    with pytest.raises(IngestError, match="binary"):
        _one(tmp_path / "bin.txt")


def test_discover_skips_unsupported_and_missing(tmp_path):
    (tmp_path / "x.docx").write_bytes(b"zz")
    (tmp_path / "ok.txt").write_text("Fine text here.", encoding="utf-8")
    files, skipped = discover([tmp_path])
    assert [f.path.name for f in files] == ["ok.txt"]
    assert skipped and "unsupported" in skipped[0][1]
    with pytest.raises(InputError):
        discover([tmp_path / "nope"])


def test_safe_name():
    assert safe_name("../../etc/passwd") == "passwd"
    assert "\x00" not in safe_name("a\x00b.txt")
    assert len(safe_name("x" * 500 + ".txt")) <= 120 and safe_name("x" * 500 + ".txt").endswith(".txt")
    assert safe_name("..") == "upload.txt"


def test_the_packaged_seeds_have_seeds_ids_wherever_the_package_lies():
    from debatebot.core.settings import SEEDS_DIR
    from debatebot.corpus.ingest import doc_id_for

    # the folder's id is the prefix of its files' ids (the indexer finds files gone from it by that prefix)
    assert doc_id_for(SEEDS_DIR, SEEDS_DIR) == "seeds"
    assert doc_id_for(SEEDS_DIR / "landmines_ottawa_article.txt", SEEDS_DIR) == "seeds/landmines_ottawa_article.txt"
