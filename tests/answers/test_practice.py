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
