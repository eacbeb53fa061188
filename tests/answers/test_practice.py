"""The practice reply says one thing: a contradicted argument is not also told "nothing against it"."""

from debatebot.answers.compose import finish, heading, note
from debatebot.answers.practice import NOTHING_AGAINST, NOTHING_ANSWERS, settle_reply
from debatebot.core.models import Answer, Mode
from debatebot.core.text import SourceDocument
from debatebot.verify.claims.check import AtomicCheck, ClaimCheck, EvidenceQuote

EVIDENCE = EvidenceQuote(text="The ferry carries 9,000 passengers a day.", doc="ferry.txt", start=10, end=51)


DOCS = {"ferry.txt": SourceDocument.from_text("ferry.txt", "The port. " + EVIDENCE.text + " Boats.")}


def _reply() -> Answer:
    ans = Answer(mode=Mode.practice, backend="offline", notices=[NOTHING_AGAINST])
    return finish(ans, [heading("Rebuttal of: “The ferry carries 900 passengers a day”"), note(NOTHING_ANSWERS)],
                  extractive=True)


def test_a_contradicted_argument_with_no_rebuttal_gets_the_contradiction_as_the_reply():
    reply = _reply()
    check = ClaimCheck(verdict="contradicted", claims=[AtomicCheck(
        text="The ferry carries 900 passengers a day", verdict="contradicted", evidence=[EVIDENCE], reason="number")])
    settle_reply(reply, check, DOCS)
    assert NOTHING_ANSWERS not in reply.answer and NOTHING_AGAINST not in reply.notices
    assert "contradicted by the sources" in reply.answer
    assert "> The ferry carries 9,000 passengers a day. [1]" in reply.answer  # quoted and cited
    assert reply.sources[0].start == 10 and reply.sources[0].end == 51
    assert "### My reply to:" in reply.answer


def test_other_verdicts_keep_the_rebuttal_as_it_is():
    reply = _reply()
    settle_reply(reply, ClaimCheck(verdict="not_in_sources"), DOCS)
    assert NOTHING_ANSWERS in reply.answer and reply.notices == [NOTHING_AGAINST]
    assert reply.answer.rstrip().endswith("_Your argument has no support in the sources._")


def test_a_quote_that_is_not_a_slice_of_its_document_is_removed_from_the_shown_answer():
    """The engine's last line of defence: a quote whose offsets do not give its text goes from the points,
    the sources and the Markdown the reader sees."""
    from debatebot.answers.engine import check_quotes_exact
    from debatebot.core.models import Point, Points, Quote

    doc = DOCS["ferry.txt"]
    good = Quote(text=EVIDENCE.text, doc="ferry.txt", start=10, end=51, paragraph=doc.paragraph_at(10))
    forged = Quote(text="The ferry carries 90,000 passengers a day.", doc="ferry.txt", start=10, end=51)
    point = Point(claim="Ferry traffic", quotes=[good, forged])
    ans = finish(Answer(mode=Mode.argue, backend="llm", points=[point]), [Points(points=[point])], extractive=False)
    assert "90,000" in ans.answer
    check_quotes_exact(ans, DOCS)
    assert ans.points[0].quotes == [good] and "90,000" not in ans.answer and "9,000" in ans.answer
    assert [q.text for q in ans.sources] == [good.text]
    assert any("could not be verified" in n for n in ans.notices)
