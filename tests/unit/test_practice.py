"""The practice reply says one thing: a contradicted argument is not also told "nothing against it"."""

from debatebot.answers.practice import NOTHING_AGAINST, NOTHING_ANSWERS, settle_reply
from debatebot.core.models import Answer, Mode
from debatebot.verify.claims.check import AtomicCheck, ClaimCheck, EvidenceQuote

EVIDENCE = EvidenceQuote(text="The ferry carries 9,000 passengers a day.", doc="ferry.txt", start=10, end=51)


def _reply() -> Answer:
    return Answer(mode=Mode.practice, backend="offline", notices=[NOTHING_AGAINST],
                  answer=f"### My reply to: “The ferry carries 900 passengers a day”\n\n{NOTHING_ANSWERS}\n")


def test_a_contradicted_argument_with_no_rebuttal_gets_the_contradiction_as_the_reply():
    reply = _reply()
    check = ClaimCheck(verdict="contradicted", claims=[AtomicCheck(
        text="The ferry carries 900 passengers a day", verdict="contradicted", evidence=[EVIDENCE], reason="number")])
    settle_reply(reply, check)
    assert NOTHING_ANSWERS not in reply.answer and NOTHING_AGAINST not in reply.notices
    assert "contradicted by the sources" in reply.answer
    assert "“The ferry carries 9,000 passengers a day.” (ferry.txt, characters 10–51)" in reply.answer


def test_other_verdicts_keep_the_rebuttal_as_it_is():
    reply = _reply()
    settle_reply(reply, ClaimCheck(verdict="not_in_sources"))
    assert NOTHING_ANSWERS in reply.answer and reply.notices == [NOTHING_AGAINST]
    assert reply.answer.rstrip().endswith("_Your argument has no support in the sources._")
