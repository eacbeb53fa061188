"""The practice debate's reply, settled into one message: the rebuttal of the student's argument and the
claim check of what it states must not say two things ("contradicted by the sources" and "the sources
offer nothing against it")."""

from __future__ import annotations

from debatebot.core.models import Answer

NOTHING_AGAINST = "The sources offer nothing against this argument that the judge is confident of."
NOTHING_ANSWERS = "The sources offer nothing that the judge is confident answers this argument."
SUPPORT = {"supported": "has support in the sources", "partly_supported": "is partly supported by the sources",
           "contradicted": "is contradicted by the sources", "not_in_sources": "has no support in the sources"}


def settle_reply(reply: Answer, check) -> None:
    """Ends `reply` (a rebuttal turned practice reply) with what the claim check `check` found. When the
    check finds the argument contradicted and the rebuttal found nothing to answer it with, the
    contradiction is the reply: its evidence is quoted and the "nothing against it" lines go."""
    line = f"\n_Your argument {SUPPORT.get(str(check.verdict), 'could not be checked')}._\n"
    if check.verdict == "contradicted" and not reply.points:
        reply.notices = [n for n in reply.notices if n != NOTHING_AGAINST]
        reply.answer = reply.answer.replace(NOTHING_ANSWERS, "The judge found no argument in the sources that "
                                            "answers yours as a whole, but the sources contradict what it states "
                                            "(below).")
        against = [e for c in check.claims if c.verdict == "contradicted" for e in c.evidence][:2]
        line = "\n_Your argument is contradicted by the sources" + (":_\n\n" + "\n".join(
            f"> “{e.text}” ({e.doc}, characters {e.start}–{e.end})" for e in against) + "\n" if against else "._\n")
    reply.answer += line
