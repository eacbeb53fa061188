"""The practice debate's reply, settled into one message: the rebuttal of the student's argument and the
claim check of what it states must not say two things ("contradicted by the sources" and "the sources
offer nothing against it")."""

from __future__ import annotations

from debatebot.answers.compose import EXTRACTIVE_NOTE, as_quote, finish, note
from debatebot.core.models import Answer, Block, Heading, Note, QuoteLine
from debatebot.core.text import SourceDocument

NOTHING_AGAINST = "The sources offer nothing against this argument that the judge is confident of."
NOTHING_ANSWERS = "The sources offer nothing that the judge is confident answers this argument."
SUPPORT = {"supported": "has support in the sources", "partly_supported": "is partly supported by the sources",
           "contradicted": "is contradicted by the sources", "not_in_sources": "has no support in the sources"}
REPLY_HEADING = ("Rebuttal of:", "My reply to:")


def settle_reply(reply: Answer, check, docs: dict[str, SourceDocument]) -> None:
    """Turns `reply` (a rebuttal) into the practice reply: its heading, and at its end what the claim check
    `check` found. When the check finds the argument contradicted and the rebuttal found nothing to
    answer it with, the contradiction is the reply: its evidence is quoted and the "nothing against it"
    lines go."""
    blocks: list[Block] = []
    for b in reply.blocks:
        if isinstance(b, Note) and b.text == EXTRACTIVE_NOTE:  # finish adds it again
            continue
        if isinstance(b, Heading) and b.text.startswith(REPLY_HEADING[0]):
            b = b.model_copy(update={"text": REPLY_HEADING[1] + b.text[len(REPLY_HEADING[0]):]})
        blocks.append(b)
    tail: list[Block] = [note(f"Your argument {SUPPORT.get(str(check.verdict), 'could not be checked')}.",
                              emphasis=True)]
    if check.verdict == "contradicted" and not reply.points:
        reply.notices = [n for n in reply.notices if n != NOTHING_AGAINST]
        blocks = [note("The judge found no argument in the sources that answers yours as a whole, but the sources "
                       "contradict what it states (below).") if isinstance(b, Note) and b.text.startswith(NOTHING_ANSWERS)
                  else b for b in blocks]
        against = [e for c in check.claims if c.verdict == "contradicted" for e in c.evidence][:2]
        tail = [note("Your argument is contradicted by the sources" + (":" if against else "."), emphasis=True)]
        tail += [QuoteLine(quote=as_quote(e, docs)) for e in against]
    reply.sources = []
    finish(reply, blocks + tail, extractive=reply.backend == "offline")
