"""The web app in headless Debian chromium (playwright): every mode, clicking a citation, uploads,
and hostile documents shown as text. Screenshots go to $DEBATEBOT_SHOTS (when set)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.e2e.test_app import MODE_INPUTS, MOTION, ScriptedBackend, launch_in_tmp, missing_modules

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync"]
SHOTS = os.environ.get("DEBATEBOT_SHOTS")

if not Path(CHROMIUM).exists():
    pytest.skip("Debian chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="python playwright is not installed")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _app(tmp_path_factory, name, backend=None):
    mp, info = launch_in_tmp(tmp_path_factory, name, backend)
    return mp, info["demo"], info


@pytest.fixture(scope="module")
def real_app(tmp_path_factory):
    mp, demo, info = _app(tmp_path_factory, "browser-real")
    yield info
    demo.close()
    mp.undo()


@pytest.fixture(scope="module")
def scripted_app(tmp_path_factory):
    mp, demo, info = _app(tmp_path_factory, "browser-scripted", ScriptedBackend(None))
    yield info
    demo.close()
    mp.undo()


class Page:
    """A loaded app page that records dialogs and any request leaving the machine."""

    def __init__(self, browser, url):
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000})
        self.dialogs: list[str] = []
        self.external: list[str] = []
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:"))
                     else self.external.append(r.url))
        self.page.goto(url)
        self.page.wait_for_selector("#ask-box textarea", timeout=30000)
        self.page.wait_for_function("document.querySelector('#status') && "
                                    "document.querySelector('#status').innerText.includes('chunks')")

    def bots(self) -> int:
        return self.page.locator("#chat [data-testid=bot]").count()

    def ask(self, mode: str, text: str = "", speaker: str = "", side: str | None = None) -> str:
        pg = self.page
        pg.get_by_label(mode, exact=True).check()
        if speaker:
            pg.locator("#speaker textarea, #speaker input").first.fill(speaker)
        if side:
            pg.locator("#side").get_by_label(side, exact=True).check()
        before = self.bots()
        pg.locator("#ask-box textarea").fill(text)
        pg.click("#send")
        return self.wait_answer(before + 1)

    def wait_answer(self, n: int, timeout: float = 60) -> str:
        """Text of the n-th bot message once it has stopped changing."""
        pg = self.page
        pg.wait_for_function(f"document.querySelectorAll('#chat [data-testid=bot]').length >= {n}",
                             timeout=timeout * 1000)
        last, stable, end = None, 0, time.time() + timeout
        while time.time() < end:
            txt = pg.locator("#chat [data-testid=bot]").nth(n - 1).inner_text()
            busy = pg.locator("#chat .generating, #sources-panel .pending").count()
            if txt == last and txt.strip() and "Searching the sources" not in txt and not busy:
                stable += 1
                if stable >= 3:
                    return txt
            else:
                stable = 0
            last = txt
            time.sleep(0.2)
        raise AssertionError(f"answer {n} did not settle: {last!r}")

    def shot(self, name: str) -> None:
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            self.page.screenshot(path=str(Path(SHOTS) / name), full_page=True)

    def close(self):
        self.page.close()


@pytest.fixture
def real_page(browser, real_app):
    p = Page(browser, real_app["url"])
    yield p
    assert p.external == [], f"requests left the machine: {p.external}"
    p.close()


@pytest.fixture
def scripted_page(browser, scripted_app):
    p = Page(browser, scripted_app["url"])
    yield p
    assert p.external == []
    p.close()


def test_first_load_shows_status_examples_and_motion(real_page):
    pg = real_page.page
    assert "offline evidence engine" in pg.locator("#status").inner_text()
    assert pg.locator("#motion").count() == 0  # the motion field shows only where it is used
    pg.get_by_label("Argue for", exact=True).check()
    sync_api.expect(pg.locator("#motion textarea, #motion input").first).to_have_value(MOTION)
    body = pg.inner_text("body")
    assert "Check a claim: 164 nations ratified the Ottawa Convention" in body
    real_page.shot("01_first_load.png")


@pytest.mark.parametrize("mode", list(MODE_INPUTS))
def test_each_mode_answers_in_the_browser(real_page, mode):
    missing = missing_modules(mode)
    if missing:
        pytest.skip(f"{mode} needs {', '.join(missing)} (not written yet)")
    text, speaker = MODE_INPUTS[mode]
    txt = real_page.ask(mode, text, speaker)
    assert "Error" not in txt.split("\n", 1)[0] and "Traceback" not in txt
    real_page.shot(f"mode_{mode.lower().replace(' ', '_')}.png")


def test_click_citation_opens_highlighted_passage(real_page):
    if missing_modules("Check a claim"):
        pytest.skip("check needs debatebot.verify.claims")
    pg = real_page.page
    real_page.ask("Check a claim", "164 nations ratified the Ottawa Convention")
    badge = pg.locator("#chat .verdict").first
    assert badge.is_visible() and "Supported" in badge.inner_text()
    cite = pg.locator("#chat a.cite").first
    target = cite.get_attribute("href").split("#", 1)[1]
    cite.click()
    card = pg.locator(f"#{target}")
    sync_api.expect(card).to_have_attribute("open", "")
    mark = card.locator("mark")
    sync_api.expect(mark).to_be_visible()
    assert "164 nations" in card.inner_text()
    assert "characters" in card.inner_text() and "paragraph" in card.inner_text()
    real_page.shot("03_citation_clicked.png")


def test_upload_lists_document_and_hostile_text_stays_text(real_page, tmp_path):
    if missing_modules("Check a claim"):
        pytest.skip("check needs debatebot.verify.claims")
    pg = real_page.page
    evil = tmp_path / "hostile notes.txt"
    evil.write_text("Hostile notes\n\nThe council wrote <script>alert(1)</script> that mines were banned in 1997. "
                    "Its annex added <img src=x onerror=alert(2)> that drones cannot clear every field.\n",
                    encoding="utf-8")
    pg.get_by_role("tab", name="Documents").click()
    pg.locator("#upload input[type=file]").set_input_files(str(evil))
    pg.wait_for_timeout(500)
    pg.click("#upload-btn")
    sync_api.expect(pg.locator("#docs-table")).to_contain_text("uploads/hostile notes.txt", timeout=30000)
    sync_api.expect(pg.locator("#upload-msg")).to_contain_text("Indexed 1 document")
    real_page.shot("04_documents.png")
    pg.get_by_role("tab", name="Debate").click()
    pg.get_by_text("Documents searched").click()
    pg.locator("#docs-sel").get_by_label("uploads/hostile notes.txt", exact=False).check()
    txt = real_page.ask("Check a claim", "Mines were banned in 1997 <script>alert(3)</script>")
    assert "<script>alert(3)</script>" in pg.locator("#chat [data-testid=user]").last.inner_text()
    assert "Error" not in txt.split("\n", 1)[0]
    pg.locator("#chat a.cite").last.click()
    panel = pg.locator("#sources-panel").inner_text()
    assert "<script>alert(1)</script>" in panel  # shown as text, in context
    for sel in ("#chat script", "#sources-panel script", "#chat img", "#sources-panel img"):
        assert pg.locator(sel).count() == 0, sel
    pg.wait_for_timeout(500)
    assert real_page.dialogs == []
    real_page.shot("05_hostile_text.png")


def test_altered_quote_diff_and_practice_feedback(scripted_page):
    pg = scripted_page.page
    scripted_page.ask("Verify a quote", "ratified by 160 nations", speaker="Nick Reynolds")
    sync_api.expect(pg.locator("#chat .verdict").first).to_contain_text("Altered")
    sync_api.expect(pg.locator("#chat .diff del").nth(1)).to_have_text("164")
    sync_api.expect(pg.locator("#chat .diff ins").nth(1)).to_have_text("160")
    scripted_page.shot("06_altered_quote.png")
    scripted_page.ask("Practice debate", "Mines are cheap and slow down an invading army", side="against")
    n = scripted_page.bots()
    pg.click("#feedback")
    fb = scripted_page.wait_answer(n + 1)
    assert "1 of 1" in fb and "Mines are cheap" in fb
    scripted_page.shot("07_practice_feedback.png")


def test_export_downloads_the_brief(scripted_page):
    pg = scripted_page.page
    scripted_page.ask("Argue for")
    with pg.expect_download() as dl:
        pg.click("#export")
    path = dl.value.path()
    md = Path(path).read_text(encoding="utf-8")
    assert md.startswith("# Debate brief") and "ratified by 164 nations" in md


DRAFT = (FIXTURES / "drafts" / "seed_draft.md").read_text(encoding="utf-8")


def test_draft_check_tab_shows_each_item_with_its_verdict_and_evidence(real_page):
    """The journalist's draft (3 exact quotations, 2 altered, 1 misattributed, 2 false claims): each
    item with its verdict badge, the speaker check, the diff and the source text; then the export."""
    pg = real_page.page
    pg.get_by_role("tab", name="Check a draft").click()
    pg.locator("#draft-box textarea").fill(DRAFT)
    pg.click("#draft-btn")
    items = pg.locator("#draft-report li.draft-item")
    items.first.wait_for(timeout=120000)
    rows = {}
    for i in range(items.count()):
        li = items.nth(i)
        rows[" ".join(li.locator(".draft-text").inner_text().split()).strip("“”")] = li
    exact = [k for k, li in rows.items() if li.get_attribute("data-verdict") == "exact"
             and "Speaker correct" in li.inner_text()]
    assert len(exact) == 3, exact
    altered = [li for li in rows.values() if li.get_attribute("data-verdict") == "altered"]
    assert len(altered) == 2 and all(li.locator(".diff").count() == 1 for li in altered)
    mis = [li for li in rows.values() if "Misattributed" in li.inner_text()]
    assert len(mis) == 2  # the altered Cowan quotation and the Galbreath one
    assert "source attributes it to" in mis[0].inner_text()
    def row(prefix):
        return next(li for k, li in rows.items() if k.startswith(prefix))

    biden = row("The Biden administration refused")
    assert biden.get_attribute("data-kind") == "claim" and biden.get_attribute("data-verdict") != "supported"
    border = row("Finland has a 900-mile border")
    assert border.get_attribute("data-verdict") == "contradicted"
    assert border.locator("blockquote.draft-ev").count() >= 1  # the source text that decides it
    for li in rows.values():  # every badge draws a glyph and a label
        assert li.locator(".verdict").first.inner_text().strip()
    real_page.shot("08_draft_check.png")
    with pg.expect_download() as dl:
        pg.click("#draft-export")
    md = Path(dl.value.path()).read_text(encoding="utf-8")
    assert md.startswith("# Draft check") and "Altered quotation" in md and "900-mile" in md
