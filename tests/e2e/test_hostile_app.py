"""Issue 17: the web app under hostile input. Oversized questions, hostile sources in the export and
the chat (raw HTML, javascript: links, bare URLs, bidi overrides), login guessing, failed uploads,
amplifying PDFs. The app runs for real (Gradio on a free loopback port, the hash embedder, the real
Chroma store); the answers come from the scripted backend of test_app where answer content does
not matter."""

from __future__ import annotations

import re
import threading
import time
import zlib

import pytest

from debatebot.core.models import Mode, Request
from tests.conftest import make_settings
from tests.e2e.test_app import (
    MOTION,
    ScriptedBackend,
    ask,
    client,
    content,
    free_port,
    launch_in_tmp,
    start_app,
)

HOSTILE = ("Hostile brief\n\n"
           "The council wrote <script>alert(1)</script> that mines were banned in 1997. "
           "Its annex added <img src=x onerror=alert(2)> that drones cannot clear every field. "
           "See [the annex](javascript:alert(3)) or https://evil.example/steal and www.evil.example today. "
           "The serial number is \u202e1000\u202c in the annex.\n\n"
           "\u201cWe cannot rely on this.\u201d The council said so in 2024.\n")


def _quiet_progress(*a, **k):
    return None


@pytest.fixture
def hostile_doc():
    from debatebot.core.text import SourceDocument

    return SourceDocument.from_text("uploads/hostile.txt", HOSTILE)


def _quote(doc, needle):
    from debatebot.core.models import Quote

    i = doc.text.index(needle)
    return Quote(text=needle, doc=doc.doc_id, start=i, end=i + len(needle), paragraph=doc.paragraph_at(i))


def _check_answer(doc, claim_text):
    """A claim check rendered by the real renderer (the offline engine's), citing hostile sentences."""
    from debatebot.answers.compose import check_answer
    from debatebot.verify.claims import ClaimCheck

    ev = [_quote(doc, s.strip()) for s in ("The council wrote <script>alert(1)</script> that mines were banned in 1997.",
                                            "\u201cWe cannot rely on this.\u201d",
                                            "The serial number is \u202e1000\u202c in the annex.")]
    data = ClaimCheck.model_validate({"verdict": "supported", "claims": [
        {"text": claim_text, "verdict": "supported", "reason": "", "evidence": [q.model_dump() for q in ev]}]})
    return check_answer(Request(mode=Mode.check, text=claim_text), data, {doc.doc_id: doc}, backend="llm")


# ---- item 6: the export carries no live HTML -----------------------------------------------------------
def test_export_escapes_html_links_and_bidi_and_states_everything_once(hostile_doc):
    from markdown_it import MarkdownIt

    from debatebot.interfaces.web.session import Session, Turn

    typed = "Mines were banned <script>alert(4)</script> [me](javascript:alert(5)) <img src=x onerror=alert(6)>"
    ans = _check_answer(hostile_doc, typed)
    s = Session()
    s.add(Turn(id=1, request=Request(mode=Mode.check, text=typed, motion=typed), answer=ans, shown_text=typed))
    md = s.brief_markdown()
    assert not re.search(r"<\s*(script|img)", md, re.I)
    assert not re.search(r"\]\(\s*javascript", md, re.I) and "javascript:" not in md.lower()
    assert "\u202e" not in md and "[U+202E]" in md  # bidi overrides are shown, not obeyed
    html = MarkdownIt("commonmark", {"html": True}).render(md)  # a viewer that passes HTML through
    assert not re.search(r"<\s*(script|img)|href=\"javascript|<[^>]*onerror", html, re.I)
    assert "alert(1)" in html  # the source text is still there, as text
    # stated once each: the verdict, the sources (as full citations), quotation marks not doubled
    assert md.count("Verdict") == 1 and "**Verdict:** Supported" in md
    assert "**Sources**" not in md and md.count("**Citations (full text)**") == 1
    assert "\u201d\u201d" not in md and "\u201c\u201c" not in md
    assert "> \u201cWe cannot rely on this.\u201d" in md


# ---- items 7 and 9: bare URLs and bidi overrides in the chat ------------------------------------------
def test_chat_shows_bare_urls_and_bidi_controls_as_text(hostile_doc):
    from debatebot.core.models import Note
    from debatebot.interfaces.web.render import answer_markdown, esc, source_card, user_markdown

    ans = _check_answer(hostile_doc, "See https://evil.example/x and www.evil.example \u202e0001")
    ans.blocks.append(Note(text="Visit https://evil.example/y or www.evil.example or me@evil.example."))
    md = answer_markdown(ans, 1)
    user = user_markdown("go to http://evil.example/z \u202e0001", "Ask")
    for out in (md, user):
        assert not re.search(r"(?i)\b(https?)://|www\.|@evil", out), out
        assert "\u202e" not in out
    assert "https&#58;//evil.example/y" in md and "[U+202E]" in user
    card = source_card(1, _quote(hostile_doc, "The serial number is \u202e1000\u202c in the annex."), hostile_doc)
    assert "\u202e" not in card and "[U+202E]1000[U+202C]" in card
    assert "\u202e" not in esc("a\u202eb") and "\u2066" not in esc("\u2066x\u2069")


def test_verdict_labels_need_no_emoji_font(hostile_doc):
    from debatebot.interfaces.web.render import answer_markdown

    ans = _check_answer(hostile_doc, "Mines were banned in 1997")
    md = answer_markdown(ans, 1)
    assert not re.search("[\u2705\u274c\ufe0f]", md)  # ✅ ❌ and emoji presentation selectors are gone
    assert 'class="verdict v-ok" data-verdict="supported">Supported</span>' in md


# ---- item 4: oversized input is refused without being echoed; a session is bounded -------------------
@pytest.fixture(scope="module")
def app(tmp_path_factory):
    mp, info = launch_in_tmp(tmp_path_factory, "hostile-app", ScriptedBackend(None), max_session_turns=3,
                             max_doc_chars=100_000, max_parse_seconds=2.0)
    yield info
    info["demo"].close()
    mp.undo()


def _ui(app):
    from debatebot.answers.engine import Engine
    from debatebot.interfaces.web.server import UI

    return UI(app["lib"], Engine(app["lib"], primary=app["backend"]))


def test_an_oversized_question_is_refused_without_being_echoed(app):
    from debatebot.interfaces.web.session import Session

    huge = "mines " * 1_700_000  # 10 MB
    outs = list(_ui(app).respond(Session(), huge, "Ask", MOTION, "for", "", []))
    chat, _, session, box, _ = outs[-1]
    assert sum(len(m["content"]) for m in chat) < 2000
    assert "10,200,000 characters" in chat[-1]["content"] and "not shown" in chat[0]["content"]
    assert box == {"__type__": "update"}  # the text box is not sent back either
    assert session.turns == [] and session.chat == chat
    # through the running server too: the chat that comes back does not carry the text
    chat, _, _ = ask(client(app["url"]), "mines " * 200_000, "Ask")
    assert max(len(content(m)) for m in chat) < 2000 and "too long" in content(chat[-1])


def test_a_session_keeps_a_bounded_number_of_answers(app):
    from debatebot.interfaces.web.session import Session

    ui, s = _ui(app), Session()
    for i in range(7):
        for out in ui.respond(s, f"Question number {i}?", "Ask", MOTION, "for", "", []):
            s = out[2]
    assert [t.id for t in s.turns] == [5, 6, 7]  # max_session_turns=3, ids never reused
    assert len(s.chat) <= 2 * 3 + 8
    assert s.brief_markdown().count("\n## ") == 3


# ---- item 9: login guessing is slowed down and locked out ----------------------------------------------
def test_login_attempts_are_delayed_and_locked(tmp_path):
    import httpx

    demo, url, _ = start_app(tmp_path, auth="ann:right-pw", login_delay=0.4, login_max_failures=4, login_lockout=60)
    try:
        with httpx.Client(base_url=url, timeout=30) as h:
            assert h.post("/login", data={"username": "ann", "password": "right-pw"}).status_code == 200
            t0 = time.perf_counter()
            codes = [h.post("/login", data={"username": "ann", "password": f"guess{i}"}).status_code for i in range(4)]
            took = time.perf_counter() - t0
            assert all(c >= 400 for c in codes) and took >= 4 * 0.4
            # locked: even the right password is refused now, and the server keeps serving others meanwhile
            slow = threading.Thread(target=lambda: h.post("/login", data={"username": "bob", "password": "x"}))
            slow.start()
            t1 = time.perf_counter()
            assert httpx.get(url + "config", timeout=10).status_code in (200, 401)
            assert time.perf_counter() - t1 < 0.35  # a wrong login's delay does not hold the server
            slow.join()
            assert h.post("/login", data={"username": "ann", "password": "right-pw"}).status_code >= 400
    finally:
        demo.close()


# ---- item 9: a failed upload leaves nothing behind and keeps the stored copy ------------------------------
def test_a_failed_upload_keeps_the_stored_copy_and_leaves_no_files(app, tmp_path):
    ui = _ui(app)
    ui.refresh = lambda message=None: (message,)
    src = tmp_path / "same name.txt"
    src.write_text("Drones now find mines faster than soldiers can lay them.\n", encoding="utf-8")
    out = ui.upload([str(src)], progress=_quiet_progress)
    assert "Indexed 1 document" in out[1]
    up = (app["tmp"] / "uploads")
    stored = (up / "same name.txt").read_bytes()
    bad = tmp_path / "again" / "same name.txt"
    bad.parent.mkdir()
    bad.write_bytes(bytes(range(256)) * 40)  # binary: cannot be read as text
    big = tmp_path / "long.txt"
    big.write_text("Mines were banned in 1997.\n" * 5000, encoding="utf-8")  # 135k characters > 100k
    out = ui.upload([str(bad), str(big)], progress=_quiet_progress)
    assert "Not indexed" in out[1] and "binary" in out[1]
    assert "long.txt" in out[1] and "100,000 characters" in out[1] and "DEBATEBOT_MAX_DOC_CHARS" in out[1]
    assert (up / "same name.txt").read_bytes() == stored  # the earlier upload is untouched
    assert not any(p.name.startswith(".incoming") or p.name == "long.txt" for p in up.iterdir())
    docs = {r.doc_id for r in app["lib"].docs()}
    assert "uploads/same name.txt" in docs and "uploads/long.txt" not in docs


# ---- item 1: PDF amplification is bounded in characters and time, per file ---------------------------------
def amplified_pdf(content: bytes, copies: int) -> bytes:
    """A tiny PDF whose one FlateDecode page object is listed `copies` times in /Kids."""
    comp = zlib.compress(content, 9)
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + b" ".join([b"3 0 R"] * copies) + b"] /Count %d >>" % copies,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(comp) + comp + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for i, o in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)


TEXT_PAGE = b"BT /F1 10 Tf 12 TL 72 720 Td " + b"(Mines were banned in 1997 and the treaty holds.) Tj T* " * 2000 + b"ET"
OPERAND_PAGE = b"BT /F1 10 Tf 72 720 Td " + b"1 " * 1_900_000 + b"(x) Tj ET"  # ~7 s of pypdf per page


def test_pdf_amplification_is_refused_by_characters(tmp_path):
    from debatebot.core.errors import IngestError
    from debatebot.corpus.ingest import SourceFile, load_file

    p = tmp_path / "amp.pdf"
    p.write_bytes(amplified_pdf(TEXT_PAGE, 3))
    assert p.stat().st_size < 5000
    doc = load_file(SourceFile(p, "amp.pdf"), max_chars=1_000_000, max_seconds=30)
    assert len(doc.text) > 250_000  # 4 KB -> a quarter of a million characters: the amplification is real
    t0 = time.perf_counter()
    with pytest.raises(IngestError, match=r"more than 100,000 characters.*DEBATEBOT_MAX_DOC_CHARS"):
        load_file(SourceFile(p, "amp.pdf"), max_chars=100_000, max_seconds=30)
    assert time.perf_counter() - t0 < 5  # extraction stops at the limit, not after the whole file


def test_a_slow_pdf_is_stopped_at_the_time_limit(tmp_path):
    from debatebot.core.errors import IngestError
    from debatebot.corpus.ingest import SourceFile, load_file

    p = tmp_path / "ops.pdf"
    p.write_bytes(amplified_pdf(OPERAND_PAGE, 5))
    assert p.stat().st_size < 6000
    t0 = time.perf_counter()
    with pytest.raises(IngestError, match=r"longer than 1 s.*DEBATEBOT_MAX_PARSE_SECONDS"):
        load_file(SourceFile(p, "ops.pdf"), max_chars=1_000_000, max_seconds=1.0)
    assert time.perf_counter() - t0 < 4


def test_hostile_pdfs_in_an_upload_leave_the_other_files_and_the_lock_alone(app, tmp_path):
    ui = _ui(app)
    ui.refresh = lambda message=None: (message,)
    amp, slow, good = tmp_path / "amp.pdf", tmp_path / "slow.pdf", tmp_path / "fine notes.txt"
    amp.write_bytes(amplified_pdf(TEXT_PAGE, 3))
    slow.write_bytes(amplified_pdf(OPERAND_PAGE, 5))
    good.write_text("Demining teams cleared the border fields in 2023.\n", encoding="utf-8")
    result: dict = {}
    t = threading.Thread(target=lambda: result.setdefault("out", ui.upload([str(amp), str(slow), str(good)],
                                                                           progress=_quiet_progress)))
    t0 = time.perf_counter()
    t.start()
    time.sleep(0.8)  # the PDFs are being read now: the index is not locked meanwhile
    t1 = time.perf_counter()
    app["lib"].add_text("side/other.txt", "A note written while the upload was being read.")
    assert time.perf_counter() - t1 < 3
    t.join(60)
    msg = result["out"][1]
    assert time.perf_counter() - t0 < 15
    assert "Indexed 1 document(s): uploads/fine notes.txt" in msg
    assert "uploads/amp.pdf" in msg and "DEBATEBOT_MAX_DOC_CHARS" in msg
    assert "uploads/slow.pdf" in msg and "DEBATEBOT_MAX_PARSE_SECONDS" in msg
    docs = {r.doc_id for r in app["lib"].docs()}
    assert "uploads/fine notes.txt" in docs and not {"uploads/amp.pdf", "uploads/slow.pdf"} & docs
    up = app["tmp"] / "uploads"
    assert not (up / "amp.pdf").exists() and not (up / "slow.pdf").exists()
    assert not any(p.name.startswith(".incoming") for p in up.iterdir())


# ---- item 9: users waiting on a hung LLM server do not wait for each other -----------------------------
@pytest.mark.slow
def test_a_slow_llm_server_is_waited_on_in_parallel(monkeypatch, tmp_path, fake_openai):
    """Four users' LLM calls must be in flight at once: the fake server holds each reply at a barrier
    until all four have arrived. If the app made users wait for each other, the barrier would break
    and the users would see an error (no wall-clock bound: the check holds on a slow machine too)."""
    import json
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from debatebot.core.settings import get_settings
    from debatebot.interfaces.web.server import serve
    from tests.fake_openai import Reply

    users = 4
    barrier = threading.Barrier(users, timeout=30)
    held: set[str] = set()
    answer = json.dumps({"answer": "No passage says so.", "points": [], "verdict": None})

    def responder(body):
        text = json.dumps(body.get("messages"))
        user = next((f"user {i}" for i in range(users) if f"user {i}?" in text), None)
        if user is None or user in held:  # the warm-up question, or a later call of a user already met
            return Reply(content=answer)
        held.add(user)
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return Reply.error(500, "fake_openai: the users' calls were not in flight together")
        return Reply(content=answer, delay=0.5)

    fake_openai.responder = responder
    for k, v in {"EMBEDDING_MODEL": "hash", "LLM_BASE_URL": fake_openai.url, "LLM_MODEL": "fake-model",
                 "LLM_TIMEOUT": "60", "LLM_MAX_RETRIES": "0"}.items():
        monkeypatch.setenv(f"DEBATEBOT_{k}", v)
    get_settings.cache_clear()
    port = free_port()
    demo = serve(host="127.0.0.1", port=port, index_dir=tmp_path / "idx", block=False)
    try:
        url = f"http://127.0.0.1:{port}/"
        ask(client(url), "Who ratified the Ottawa Convention?", "Ask")  # the engine is up and warm
        with ThreadPoolExecutor(users) as pool:
            chats = list(pool.map(lambda i: ask(client(url), f"Who ratified it, user {i}?", "Ask")[0],
                                  range(users)))
        assert not barrier.broken, "the users' LLM calls were not in flight together: they waited for each other"
        assert held == {f"user {i}" for i in range(users)}
        assert all("Error" not in content(c[-1]).split("\n", 1)[0] for c in chats)
    finally:
        demo.close()


# ---- looks right: Markdown and quotation marks ----------------------------------------------------------
def test_quotation_not_found_shows_its_nearest_passages_as_quotes(seed_doc):
    from markdown_it import MarkdownIt

    from debatebot.answers.compose import quote_answer
    from debatebot.interfaces.web.render import answer_markdown
    from debatebot.verify.quotes import QuoteResult

    near = _quote(seed_doc, "The military necessity part of the calculus is frankly terrifying")
    data = QuoteResult.model_validate({"quote": "Drones replaced every mine", "verdict": "not_found",
                                       "explanation": "The quotation is not in the sources.",
                                       "nearest": [near.model_dump(), near.model_dump()]})
    ans = quote_answer(Request(mode=Mode.quote, text="Drones replaced every mine"), data, {seed_doc.doc_id: seed_doc},
                       backend="offline")
    html = MarkdownIt("commonmark", {"html": True}).render(answer_markdown(ans, 1))
    assert "&gt;" not in html and "> The military" not in html  # no raw Markdown left
    assert html.count("<blockquote>") >= 2 and "Nearest passage:" in html


def test_a_quotation_the_source_closes_later_is_closed_outside_the_verbatim_text(seed_doc):
    from debatebot.answers.compose import finish
    from debatebot.core.models import Answer, QuoteLine
    from debatebot.interfaces.web.render import CONTINUES, answer_markdown, source_card

    s = next(x for x in seed_doc.sentences if seed_doc.text[x.start:x.end].count("\u201c")
             > seed_doc.text[x.start:x.end].count("\u201d"))
    q = _quote(seed_doc, seed_doc.text[s.start:s.end])
    q.speaker = "Patrick Wilcken"
    md = answer_markdown(finish(Answer(mode=Mode.ask, backend="offline"), [QuoteLine(quote=q)], extractive=False), 1)
    line = next(li for li in md.splitlines() if li.startswith("> "))
    assert CONTINUES in line and line.index(CONTINUES) < line.index('class="cite"')
    assert q.text.rstrip() in line  # the verbatim text itself is unchanged
    snip = re.search(r'<span class="snip">(.*?)</span>', source_card(1, q, seed_doc)).group(1)
    assert snip.count("\u201c") == snip.count("\u201d")


def test_examples_and_placeholders_read_right():
    from debatebot.core.settings import SEEDS_DIR
    from debatebot.interfaces.web.examples import load_examples
    from debatebot.interfaces.web.ui import PLACEHOLDERS

    examples = load_examples(SEEDS_DIR)
    labels = examples.labels()
    assert examples.motion == MOTION and len(labels) == 7
    assert "Balanced summary" in labels  # not labelled with the motion it does not use
    assert f"Argue for: {MOTION}"[:90] in labels
    assert all(p.strip() for p in PLACEHOLDERS.values())  # whole on a phone: test_browser_layout measures them


def test_cli_indexing_reads_pdfs_before_locking_the_index(tmp_path):
    """`debatebot index` (Library.index) parses PDFs before it takes the index lock: a slow PDF holds
    up no other writer, and is reported with its limit while the other files are indexed."""
    from debatebot.corpus.library import Library

    lib = Library(make_settings(tmp_path, max_parse_seconds=4.0))
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "slow.pdf").write_bytes(amplified_pdf(OPERAND_PAGE, 5))
    (folder / "fine notes.txt").write_text("Demining teams cleared the border fields in 2023.\n", encoding="utf-8")
    lib.add_text("side/warm.txt", "A first note, so the store exists before the race.")
    result: dict = {}
    t = threading.Thread(target=lambda: result.setdefault("report", lib.index([folder])))
    t.start()
    time.sleep(0.8)  # the PDF is being parsed now
    t1 = time.perf_counter()
    lib.add_text("side/other.txt", "A note written while the folder was being read.")
    assert time.perf_counter() - t1 < 3
    t.join(60)
    report = result["report"]
    failed = " ".join(str(f) for f in report.failed)
    assert "slow.pdf" in failed and "DEBATEBOT_MAX_PARSE_SECONDS" in failed
    docs = {r.doc_id for r in lib.docs()}
    assert "docs/fine notes.txt" in docs and "side/other.txt" in docs and "docs/slow.pdf" not in docs
