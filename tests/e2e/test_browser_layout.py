"""Issue 17, "looks right": the page in headless Debian chromium at a laptop size (1366x768) and a phone
size (390x844). Layout facts are asserted; the screenshots go to $DEBATEBOT_SHOTS (else the test's
temporary folder) so a person can look at them.

- after load the page has not scrolled: the title and the mode selector are on screen;
- after a citation click the sources heading and the opened card are on screen (laptop: the
  sources column is sticky; phone: the sources open as a sheet, the page does not jump);
- the Documents table has no sideways overflow on a phone, every column readable;
- verdict badges draw a real glyph (no emoji font needed), and bare URLs are text, not links."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.test_app import ScriptedBackend
from tests.e2e.test_browser import _app, browser, sync_api  # noqa: F401  (skips without chromium; `browser` is a fixture)

pytestmark = pytest.mark.browser
SIZES = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    mp, demo, info = _app(tmp_path_factory, "browser-layout", ScriptedBackend(None))
    yield info
    demo.close()
    mp.undo()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    d = Path(os.environ.get("DEBATEBOT_SHOTS") or tmp_path_factory.mktemp("shots"))
    d.mkdir(parents=True, exist_ok=True)
    return d


def open_page(browser, url, size):
    phone = size == "phone"
    ctx = browser.new_context(viewport=SIZES[size], is_mobile=phone, has_touch=phone, device_scale_factor=1)
    page = ctx.new_page()
    external: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(("http://127.0.0.1", "data:", "blob:")) else external.append(r.url))
    page.goto(url)
    page.wait_for_selector("#ask-box textarea", timeout=30000)
    page.wait_for_function("document.querySelector('#status') && document.querySelector('#status').innerText.includes('chunks')")
    page.wait_for_timeout(1200)  # any late autofocus or layout shift has happened by now
    return ctx, page, external


def in_view(page, selector: str) -> bool:
    return page.evaluate("""(sel) => { const e = document.querySelector(sel); if (!e) return false;
        const r = e.getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight + 1 && r.left >= 0
               && r.right <= window.innerWidth + 1; }""", selector)


def ask(page, mode: str, text: str = "") -> None:
    before = page.locator("#chat [data-testid=bot]").count()
    page.get_by_label(mode, exact=True).check()
    page.locator("#ask-box textarea").fill(text)
    page.click("#send")
    page.wait_for_function(f"document.querySelectorAll('#chat [data-testid=bot]').length > {before} && "
                           "document.querySelectorAll('#chat a.cite').length > 0", timeout=60000)
    page.wait_for_timeout(800)


@pytest.mark.parametrize("size", list(SIZES))
def test_load_shows_the_title_and_the_mode_selector(browser, app, shots, size):
    ctx, page, external = open_page(browser, app["url"], size)
    try:
        page.screenshot(path=str(shots / f"{size}_01_load.png"))
        assert page.evaluate("window.scrollY") == 0
        assert in_view(page, "#title h1") and in_view(page, "#mode")
        if size == "laptop":  # focused for typing, without the scroll the autofocus attribute caused
            assert page.evaluate("!!document.activeElement.closest('#ask-box')")
        assert external == []
    finally:
        ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_a_citation_click_keeps_the_sources_heading_in_view(browser, app, shots, size):
    ctx, page, _ = open_page(browser, app["url"], size)
    try:
        ask(page, "Argue for")
        ask(page, "Check a claim", "164 nations ratified the Ottawa Convention")
        cite = page.locator("#chat a.cite").last
        cite.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        y = page.evaluate("window.scrollY")
        target = cite.get_attribute("href").split("#", 1)[1]
        cite.click()
        page.wait_for_timeout(1000)  # smooth scrolling has finished
        page.screenshot(path=str(shots / f"{size}_02_citation.png"))
        assert page.locator(f"#{target}").get_attribute("open") is not None
        if size == "phone":  # the passage opens in a sheet; the page did not jump down to the sources
            assert abs(page.evaluate("window.scrollY") - y) < 5
            assert in_view(page, "#src-sheet h3"), "the Sources heading is off screen"
            assert page.evaluate("""() => { const c = document.querySelector('#src-sheet details.src-card');
                const r = c.getBoundingClientRect(); return c.open && r.top >= 0 && r.top < window.innerHeight - 60
                && c.innerText.includes('ratified by 164 nations'); }"""), "the passage is not on screen"
            page.click("#src-sheet .src-close")
            page.wait_for_timeout(300)
            assert not page.evaluate("document.getElementById('src-sheet').classList.contains('open')")
        else:  # the sources column is sticky: its heading and the opened card are on screen beside the answer
            assert in_view(page, "#sources-head h3"), "the Sources heading is off screen"
            assert page.evaluate("""(id) => { const r = document.getElementById(id).getBoundingClientRect();
                return r.top >= 0 && r.top < window.innerHeight - 40; }""", target), "the opened card is off screen"
            assert page.evaluate("""() => { const r = document.querySelector('#chat').getBoundingClientRect();
                return r.bottom > 100 && r.top < window.innerHeight - 100; }""")
    finally:
        ctx.close()


def test_the_documents_table_fits_on_a_phone(browser, app, shots):
    ctx, page, _ = open_page(browser, app["url"], "phone")
    try:
        page.get_by_role("tab", name="Documents").click()
        page.wait_for_selector("#docs-table table", timeout=30000)
        page.wait_for_timeout(300)
        page.locator("#docs-table").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "phone_03_documents.png"), full_page=True)
        over = page.evaluate("""() => { const t = document.querySelector('#docs-table table');
            return {page: document.documentElement.scrollWidth - window.innerWidth,
                    table: t.scrollWidth - t.parentElement.clientWidth,
                    cells: [...t.querySelectorAll('tbody td')].filter(td => { const r = td.getBoundingClientRect();
                        return r.width < 20 || r.right > window.innerWidth + 1; }).length}; }""")
        assert over == {"page": 0, "table": 0, "cells": 0} or (over["page"] <= 0 and over["table"] <= 0
                                                                  and over["cells"] == 0), over
        text = page.locator("#docs-table").inner_text()
        assert "complete" in text
        labels = page.evaluate("""() => [...document.querySelectorAll('#docs-table tbody td')].map(td =>
            getComputedStyle(td, '::before').content)""")
        assert '"Chunks: "' in labels and '"Status: "' in labels  # every value is labelled on a phone
    finally:
        ctx.close()


def test_verdict_badges_draw_a_glyph_without_an_emoji_font(browser, app, shots):
    ctx, page, _ = open_page(browser, app["url"], "laptop")
    try:
        ask(page, "Check a claim", "164 nations ratified the Ottawa Convention")
        badge = page.locator("#chat .verdict").first
        badge.scroll_into_view_if_needed()
        badge.screenshot(path=str(shots / "laptop_04_badge.png"))
        res = page.evaluate("""() => {
            const b = document.querySelector('#chat .verdict');
            const font = getComputedStyle(b).fontFamily;
            const draw = (ch) => { const c = document.createElement('canvas'); c.width = 48; c.height = 48;
                const x = c.getContext('2d'); x.font = '32px ' + font; x.fillText(ch, 4, 36); return c.toDataURL(); };
            const missing = draw('\\u0378');  // an unassigned code point: the "no glyph" box
            return {before: getComputedStyle(b, '::before').content, text: b.innerText,
                    glyph: draw(getComputedStyle(b, '::before').content.replace(/"/g, '')) !== missing,
                    emoji: draw('\\u2705') !== missing,
                    chat: document.querySelector('#chat').innerText}; }""")
        assert res["text"].strip().endswith("Supported") and res["glyph"], res["before"]
        assert not any(c in res["chat"] for c in "\u2705\u274c\ufe0f")
        if not res["emoji"]:
            print("no emoji font here: a ✅ badge would have been an empty box")
    finally:
        ctx.close()


def test_bare_urls_are_text_not_links(browser, app):
    ctx, page, _ = open_page(browser, app["url"], "laptop")
    try:
        ask(page, "Ask", "Is https://evil.example/steal or www.evil.example or me@evil.example a source?")
        links = page.evaluate("[...document.querySelectorAll('#chat a')].map(a => a.getAttribute('href'))")
        assert links and all(h and h.startswith("#src-") for h in links), links
        assert "https://evil.example/steal" in page.locator("#chat [data-testid=user]").last.inner_text()
    finally:
        ctx.close()


@pytest.mark.parametrize("width", [360, 390])
def test_every_placeholder_shows_whole_on_a_phone(browser, app, width):
    """The one-line box beside Send shows each mode's placeholder whole (measured with the box's own
    font), so a phone user reads what to type."""
    from debatebot.interfaces.web.ui import PLACEHOLDERS

    ctx = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True, has_touch=True,
                              device_scale_factor=1)
    try:
        page = ctx.new_page()
        page.goto(app["url"])
        page.wait_for_selector("#ask-box textarea", timeout=30000)
        page.wait_for_timeout(500)
        room, widths = page.evaluate("""(texts) => { const t = document.querySelector('#ask-box textarea');
            const cs = getComputedStyle(t); const c = document.createElement('canvas').getContext('2d');
            c.font = cs.font;
            return [t.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight),
                    texts.map(x => c.measureText(x).width)]; }""", list(PLACEHOLDERS.values()))
        cut = [t for t, w in zip(PLACEHOLDERS.values(), widths) if w > room]
        assert not cut, f"cut on a {width} px phone ({room:.0f} px of room): {cut}"
        send = page.locator("#send").bounding_box()
        box = page.locator("#ask-box").bounding_box()
        assert abs(send["y"] - box["y"]) < box["height"]  # Send stays beside the box
        assert page.evaluate("document.documentElement.scrollWidth") <= width
    finally:
        ctx.close()


# ---- issue: "the app a person enjoys on a laptop and a phone" ----------------------------------------
_OVERLAPS = """() => {
    // controls drawn over the chat (absolutely placed, sticky or fixed) that cover a line of its text
    const chat = document.querySelector('#chat');
    const lines = [];
    chat.querySelectorAll('.message-row, .placeholder-content').forEach(m => {
        const w = document.createTreeWalker(m, NodeFilter.SHOW_TEXT);
        while (w.nextNode()) { const n = w.currentNode; if (!n.textContent.trim()) continue;
            const r = document.createRange(); r.selectNodeContents(n);
            for (const x of r.getClientRects()) if (x.width > 2 && x.height > 2) lines.push([x, n.textContent.trim().slice(0, 40)]); }
    });
    const hits = [];
    chat.querySelectorAll('*').forEach(e => {
        const cs = getComputedStyle(e);
        if (!['absolute', 'fixed', 'sticky'].includes(cs.position) || cs.display === 'none' || cs.visibility === 'hidden'
            || parseFloat(cs.opacity) === 0) return;
        if (e.closest('.message-row, .placeholder-content') && !e.matches('button, label')) return;
        const r = e.getBoundingClientRect();
        if (r.width < 4 || r.height < 4 || !e.innerText && !e.querySelector('svg')) return;
        for (const [x, t] of lines) if (e.contains && !e.contains(document.elementFromPoint(x.left + 1, x.top + 1))
            && x.left < r.right && x.right > r.left && x.top < r.bottom && x.bottom > r.top) { hits.push(e.className + ' over "' + t + '"'); break; }
    });
    return hits; }"""


def test_the_question_box_is_on_screen_on_load_on_a_laptop(browser, app):
    ctx, page, _ = open_page(browser, app["url"], "laptop")
    try:
        assert in_view(page, "#ask-box textarea") and in_view(page, "#send")
    finally:
        ctx.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_nothing_is_drawn_over_the_chat_text(browser, app, shots, size):
    ctx, page, _ = open_page(browser, app["url"], size)
    try:
        assert page.evaluate(_OVERLAPS) == []  # the welcome text
        ask(page, "Argue for")
        ask(page, "Balanced summary")
        page.evaluate("document.querySelector('#chat .bubble-wrap').scrollTop = 200")  # scrolled up a little
        page.wait_for_timeout(400)
        page.screenshot(path=str(shots / f"{size}_05_scrolled_chat.png"))
        assert page.evaluate(_OVERLAPS) == []
        assert page.evaluate("""() => { const p = document.querySelector('#chat .placeholder-content');
            return !p || parseFloat(getComputedStyle(p).paddingLeft) >= 8; }""")
    finally:
        ctx.close()


def open_last_citation(page) -> None:
    cite = page.locator("#chat a.cite").last
    cite.scroll_into_view_if_needed()
    cite.click()
    page.wait_for_timeout(400)


def test_the_sources_sheet_closes_on_a_tab_switch_and_on_escape(browser, app, shots):
    ctx, page, _ = open_page(browser, app["url"], "phone")
    is_open = "!!document.getElementById('src-sheet') && document.getElementById('src-sheet').classList.contains('open')"
    try:
        ask(page, "Check a claim", "164 nations ratified the Ottawa Convention")
        open_last_citation(page)
        assert page.evaluate(is_open)
        page.get_by_role("tab", name="Check a draft").click()
        page.wait_for_timeout(400)
        page.screenshot(path=str(shots / "phone_06_draft_tab_after_sheet.png"))
        assert not page.evaluate(is_open), "the sheet stayed open over the other tab"
        page.locator("#draft-btn").click(trial=True)  # nothing covers the draft tab's button
        page.get_by_role("tab", name="Debate").click()
        page.wait_for_timeout(300)
        open_last_citation(page)
        assert page.evaluate(is_open)
        page.keyboard.press("Escape")
        page.wait_for_timeout(200)
        assert not page.evaluate(is_open), "Escape did not close the sheet"
    finally:
        ctx.close()


def test_file_names_wrap_after_a_separator_never_inside_a_word(browser, app, shots):
    ctx = browser.new_context(viewport={"width": 360, "height": 700}, is_mobile=True, has_touch=True,
                              device_scale_factor=1)
    try:
        page = ctx.new_page()
        page.goto(app["url"])
        page.wait_for_selector("#ask-box textarea", timeout=30000)
        page.get_by_role("tab", name="Documents").click()
        page.wait_for_selector("#docs-table code", timeout=30000)
        page.wait_for_timeout(300)
        page.screenshot(path=str(shots / "narrow_07_documents.png"), full_page=True)
        breaks = page.evaluate("""() => { const out = [];
            document.querySelectorAll('#docs-table code').forEach(code => {
                const w = document.createTreeWalker(code, NodeFilter.SHOW_TEXT); let prev = null;
                while (w.nextNode()) { const n = w.currentNode;
                    for (let i = 0; i < n.length; i++) { const r = document.createRange(); r.setStart(n, i); r.setEnd(n, i + 1);
                        const box = r.getBoundingClientRect(); if (!box.height) continue;
                        if (prev && box.top > prev.top + 2 && !'/_-. '.includes(prev.ch)) out.push(prev.ch + '|' + n.data[i]);
                        prev = {top: box.top, ch: n.data[i]}; } } });
            return out; }""")
        assert breaks == [], breaks
    finally:
        ctx.close()


def test_the_draft_tab_buttons_are_buttons_not_bars(browser, app):
    ctx, page, _ = open_page(browser, app["url"], "laptop")
    try:
        page.get_by_role("tab", name="Check a draft").click()
        page.wait_for_timeout(400)
        for sel in ("#draft-btn", "#draft-export"):
            box = page.locator(sel).bounding_box()
            assert box["height"] >= 32 and box["width"] <= 420, (sel, box)
    finally:
        ctx.close()
