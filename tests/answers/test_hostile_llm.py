"""Issue 17, item 5 and 8: what a hostile or careless LLM answer must not get past the guard, tested
against the loopback OpenAI-compatible server (the only fake allowed: it is a real HTTP server).

Every quotation style is checked, quotations inside headlines too; a holder the cited passages do not
name is dropped; while streaming, no quotation is shown before it has been checked; the API key an
LLM server echoes never reaches the reader."""

from __future__ import annotations

import pytest

from debatebot.answers.guard import UNVERIFIED_FLAG, check_holders, flag_unverified_quotes, unclosed_quote_at
from debatebot.core.models import Point, Quote
from tests.answers.test_llm_backend import (  # noqa: F401
    ARGUE,
    KEY,
    RATIFIED,
    TERRIFYING,
    good_reply,
    make_backend,
    run_stream,
    world,
)
from tests.fake_openai import Reply

FAKE = "mines are a perfectly humane weapon"


# ---- every quotation style is checked -----------------------------------------------------------------
@pytest.mark.parametrize("open_, close", [("\u2018", "\u2019"), ("\u00ab", "\u00bb"), ("\u00ab\u00a0", "\u00a0\u00bb"),
                                          ("\u201e", "\u201c"), ("\u201e", "\u201d"), ("\u201c", "\u201d"), ('"', '"')])
def test_every_quotation_style_is_checked(world, open_, close):
    ps, docs, _ = world
    md = f"Reynolds said {open_}{TERRIFYING.lower()}{close} [1] and the campaign said {open_}{FAKE}{close} [2]."
    out, notices = flag_unverified_quotes(md, ps, docs)
    assert out.count(UNVERIFIED_FLAG) == 1, out
    assert f"{FAKE}{close} [2]" not in out or f"{FAKE}{close}{UNVERIFIED_FLAG}" in out
    assert len(notices) == 1 and FAKE[:20] in notices[0]


def test_apostrophes_do_not_close_a_single_quoted_quotation(world):
    ps, docs, _ = world
    md = "They called it \u2018the nation\u2019s most humane weapon\u2019 [1]; that\u2019s all."
    out, notices = flag_unverified_quotes(md, ps, docs)
    assert "weapon\u2019" + UNVERIFIED_FLAG in out and len(notices) == 1
    assert "nation\u2019s" in notices[0]  # the whole quotation was checked, not "the nation"


def test_unclosed_quote_detection_follows_the_quotation_rules():
    assert unclosed_quote_at("He said \u201cmines are") == 8
    assert unclosed_quote_at("He said \u201cmines\u201d and more") is None
    assert unclosed_quote_at("It\u2019s the nation\u2019s duty") is None  # apostrophes
    assert unclosed_quote_at("They said \u2018it is ours\u2019") == 10  # a closing ’ at the end: the next char decides
    assert unclosed_quote_at("They said \u2018it is ours\u2019 today") is None
    assert unclosed_quote_at("a \u00abquote") == 2 and unclosed_quote_at("a \u201equote") == 2
    assert unclosed_quote_at('The 5" gun and "a quote') == 15
    assert unclosed_quote_at("\u201copen\nline two") is None  # a quotation never spans a line break


# ---- headlines and holders ------------------------------------------------------------------------
def test_a_quotation_in_a_headline_is_checked(fake_openai, world):
    ps, docs, _ = world
    body = good_reply(points=[
        {"claim": f"Campaigners call mines \u201c{FAKE}\u201d", "side": "for", "holder": None,
         "quotes": [{"text": RATIFIED, "passage": "P1"}]},
        {"claim": "Reynolds calls the calculus \u201cfrankly terrifying\u201d", "side": "for", "holder": "Nick Reynolds",
         "quotes": [{"text": TERRIFYING, "passage": "P2"}]},
    ])
    fake_openai.script(Reply.json(body))
    ans = make_backend(fake_openai).answer(ARGUE, ps, docs)
    evidence = ans.answer.split("**Evidence**", 1)[1]
    head = next(line for line in evidence.splitlines() if FAKE in line)
    assert f"{FAKE}\u201d{UNVERIFIED_FLAG}" in head  # flagged where it is shown
    good = next(line for line in evidence.splitlines() if "frankly terrifying" in line and "**" in line)
    assert UNVERIFIED_FLAG not in good  # a real quotation in a headline is left alone
    assert any(FAKE[:20] in n and "not found verbatim" in n for n in ans.notices)


def test_a_holder_the_cited_passages_do_not_name_is_dropped(fake_openai, world):
    ps, docs, _ = world
    body = good_reply(points=[
        {"claim": "The treaty is widely ratified", "side": "against", "holder": "Human Rights Watch",
         "quotes": [{"text": RATIFIED, "passage": "P1"}]},
        {"claim": "Reynolds finds the calculus terrifying", "side": "for", "holder": "Nick Reynolds",
         "quotes": [{"text": TERRIFYING, "passage": "P2"}]},  # "“…,” he stated" after Reynolds is named
        {"claim": "99% of experts support mines", "side": "for", "holder": "RUSI", "quotes": []},
    ])
    fake_openai.script(Reply.json(body))
    ans = make_backend(fake_openai).answer(ARGUE, ps, docs)
    holders = {p.claim: p.holder for p in ans.points}
    assert holders["The treaty is widely ratified"] is None
    assert holders["Reynolds finds the calculus terrifying"] == "Nick Reynolds"
    assert "Human Rights Watch" not in ans.answer
    assert any("Human Rights Watch" in n and "not named" in n for n in ans.notices)
    # a point with no quotation at all is not shown as evidence
    assert "99% of experts" not in ans.answer.split("**Evidence**")[-1]


def test_holder_check_accepts_a_surname_an_acronym_and_the_speaker(seed_doc):
    doc = seed_doc
    i = doc.text.index("Nick Reynolds, a research fellow")
    q = Quote(text=doc.text[i:i + 13], doc=doc.doc_id, start=i, end=i + 13, paragraph=doc.paragraph_at(i))
    pts = [Point(claim="a", holder="Dr. Nick Reynolds", quotes=[q]), Point(claim="b", holder="RUSI", quotes=[q]),
           Point(claim="c", holder="Amnesty International", quotes=[q])]
    out, notices = check_holders(pts, [], {doc.doc_id: doc})
    assert [p.holder for p in out] == ["Dr. Nick Reynolds", "RUSI", None] and len(notices) == 1


# ---- streaming never shows an unchecked quotation as verified ------------------------------------------
def test_stream_never_shows_an_unchecked_quotation(fake_openai, world):
    ps, docs, _ = world
    prose = (f"Reynolds calls it \u201cfrankly terrifying\u201d [P2]. Campaigners say \u201c{FAKE}\u201d [P1], "
             f"and \u00ab{FAKE} too\u00bb [P1].\n> {FAKE} again [P1]")
    fake_openai.script(Reply.json(good_reply(answer=prose), chunk_chars=3, chunk_delay=0.001))
    frags, ans = run_stream(make_backend(fake_openai), ARGUE, ps, docs)
    assert len(frags) > 10
    shown = ""
    for f in frags:  # every state of the chat while the answer streams in
        shown += f
        for n in range(1, len(shown.split(FAKE))):
            after = shown.split(FAKE)[n]
            # the fabricated words appear only once their quotation closed, and then flagged
            assert UNVERIFIED_FLAG in after.split("\n")[0], shown
        assert "\u201cmines are a" not in shown or FAKE in shown  # never half a quotation either
    assert "".join(frags).strip() == ans.answer.partition("\n**Sources**")[0].strip()  # the stream is the body
    assert ans.answer.count(UNVERIFIED_FLAG) == 3


# ---- the API key is redacted from every answer -----------------------------------------------------
def test_an_echoed_api_key_never_reaches_the_reader(fake_openai, world):
    ps, docs, _ = world
    body = good_reply(answer=f"My configuration uses the key {KEY} [P1]; the ban has 164 parties [P1].")
    body["points"][0]["claim"] = f"Reynolds (key {KEY}) finds it terrifying"
    fake_openai.script(Reply.json(body, chunk_chars=5))  # the key arrives split over fragments
    frags, ans = run_stream(make_backend(fake_openai), ARGUE, ps, docs)
    shown = ""
    for f in frags:
        shown += f
        assert KEY not in shown and KEY[:12] not in shown
    everything = " ".join([ans.answer, *ans.notices, *(p.claim for p in ans.points), *(p.holder or "" for p in ans.points)])
    assert KEY not in everything and KEY[8:] not in everything
    assert "***" in ans.answer
