"""Per-browser-session state of the web app: the turns of one conversation, the practice round,
the conversation history handed to the engine, and the Markdown brief exported from it.

One `Session` lives in a `gr.State` per browser tab, so nothing is shared between sessions."""

from __future__ import annotations

import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from debatebot.answers.markdown import Style, to_markdown
from debatebot.core.models import Answer, Mode, MotionSide, Request
from debatebot.core.sanitize import escape_markdown
from debatebot.core.verdicts import SPEAKER_TEXT, VERDICT_TEXT
from debatebot.interfaces.web.render import MODE_TITLES, badge, md_escape, plain_symbols

# Labels shown in the mode selector -> (mode, side implied by the label)
MODE_CHOICES: dict[str, tuple[Mode, MotionSide | None]] = {
    "Ask": (Mode.ask, None),
    "Argue for": (Mode.argue, "for"),
    "Argue against": (Mode.argue, "against"),
    "Rebut": (Mode.rebut, None),
    "Check a claim": (Mode.check, None),
    "Verify a quote": (Mode.quote, None),
    "Balanced summary": (Mode.summary, None),
    "Practice debate": (Mode.practice, None),
}


@dataclass
class Turn:
    """One question and its checked answer."""

    id: int
    request: Request
    answer: Answer
    shown_text: str  # what the user typed (or the motion, when the box was empty)
    at: float = field(default_factory=time.time)


@dataclass
class Session:
    turns: list[Turn] = field(default_factory=list)
    chat: list[dict] = field(default_factory=list)  # Chatbot messages {"role", "content"}
    round_claims: list[dict] = field(default_factory=list)  # practice: the student's claims this round
    feedback: list[str] = field(default_factory=list)  # Markdown feedback of finished rounds
    drafts: list[str] = field(default_factory=list)  # Markdown bodies of draft-check reports (escaped, no heading)
    key: str = field(default_factory=lambda: uuid.uuid4().hex[:10])

    def next_id(self) -> int:
        return self.turns[-1].id + 1 if self.turns else 1

    def history(self, turns: int = 8) -> list[dict[str, str]]:
        """The last `turns` turns as Request.history: {role, content, mode, motion, side, text} (strings only)."""
        out: list[dict[str, str]] = []
        for t in self.turns[-turns:] if turns > 0 else []:
            r = t.request
            out.append({"role": "user", "content": t.shown_text, "mode": r.mode.value, "motion": r.motion or "",
                        "side": r.side or "", "text": r.text or ""})
            out.append({"role": "assistant", "content": t.answer.answer, "mode": t.answer.mode.value,
                        "motion": r.motion or "", "side": r.side or "", "text": ""})
        return out

    def add(self, turn: Turn, max_turns: int | None = None) -> None:
        """Keep `turn`; beyond `max_turns` the oldest turns (and their chat messages) are let go, so
        what one browser tab holds on the server stays bounded."""
        self.turns.append(turn)
        self.trim(max_turns)
        claim = turn.answer.student_claim if turn.answer.mode == Mode.practice else None
        if claim is not None:
            self.round_claims.append(dict(claim.model_dump(), turn=turn.id))

    def trim(self, max_turns: int | None) -> None:
        """At most `max_turns` turns and round feedbacks, and the chat messages that show them."""
        if not max_turns:
            return
        del self.turns[: max(0, len(self.turns) - max_turns)]
        del self.feedback[: max(0, len(self.feedback) - max_turns)]
        del self.round_claims[: max(0, len(self.round_claims) - max_turns)]
        del self.drafts[: max(0, len(self.drafts) - max_turns)]
        keep = 2 * max_turns + 8  # a question and its answer per turn, and some feedback messages
        del self.chat[: max(0, len(self.chat) - keep)]

    # ---- export ------------------------------------------------------------------------------------
    def brief_markdown(self) -> str:
        return brief_markdown(self)

    def write_brief(self) -> Path:
        """Write the brief to a per-session temporary file and return its path."""
        return self._write("debate-brief.md", self.brief_markdown())

    def add_draft_report(self, body: str, max_turns: int | None = None) -> Path:
        """Keep a draft-check report (its Markdown body) for the brief; write it as its own file too."""
        self.drafts.append(body)
        self.trim(max_turns)
        return self._write("draft-check.md", "# Draft check\n\n" + body)

    def _write(self, name: str, text: str) -> Path:
        folder = Path(tempfile.gettempdir()) / "debatebot-briefs" / self.key
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path


def _sources_list(ans: Answer) -> list[str]:
    """Each citation with its location, its full text as a block quote (no quotation marks of ours to
    double a sentence's own), escaped like everything else in the brief."""
    lines = []
    for q in ans.sources:
        text = " ".join(q.text.split())
        who = f" — {_md(q.speaker)}" if q.speaker else ""
        lines += [f"- [{q.marker}] {_md(q.doc)}, ¶{q.paragraph + 1}, chars {q.start}–{q.end}{who}:", "",
                  f"  > {_md(text)}", ""]
    return lines


def _md(text: str) -> str:
    """Untrusted text (a source, what the user typed, an LLM's prose) as inert Markdown: no raw HTML,
    no links or images, no bare URLs, bidi controls made visible, emoji as plain symbols."""

    return plain_symbols(escape_markdown(text or ""))


def _one_line(text: str) -> str:
    return _md(" ".join((text or "").split()))


class BriefStyle(Style):
    """The brief's Markdown: every piece of text inert (`_md`), emoji as plain symbols."""

    def text(self, s: str) -> str:
        return _md(s)

    def prose(self, md: str) -> str:
        return _md(md)

    def verdict(self, v: str | None) -> str:
        return plain_symbols(super().verdict(v))

    def speaker(self, sp) -> list[str]:
        return [plain_symbols(line) for line in super().speaker(sp)]


def _answer_body(a: Answer) -> str:
    """The answer's Markdown without what the brief states itself: its verdict line (the brief writes
    the verdict once, above) and its sources list (the brief lists the citations in full, below)."""
    return to_markdown(a, BriefStyle(), verdict=False, sources=False).strip()


def brief_markdown(session: Session) -> str:
    """Every answer of the session (arguments, rebuttals, checks, summaries) with all its citations.

    Everything that comes from a source, the user or an LLM is escaped (`_md`): the brief may be
    opened in a Markdown viewer that passes HTML through."""

    motions = [t.request.motion for t in session.turns if t.request.motion]
    out = ["# Debate brief", "", f"_Exported {time.strftime('%Y-%m-%d %H:%M')} from debatebot. Every quotation is "
           "verbatim from the cited document; locations are paragraph (1-based) and character offsets._", ""]
    if motions:
        out += [f"**Motion:** {_one_line(motions[-1])}", ""]
    if not session.turns and not session.drafts:
        out += ["_No answers yet._", ""]
    for t in session.turns:
        r, a = t.request, t.answer
        side = f" ({r.side})" if r.side and r.mode in (Mode.argue, Mode.practice) else ""
        out += [f"## {t.id}. {MODE_TITLES.get(a.mode, a.mode.value)}{side}: {_one_line(t.shown_text)}", ""]
        if a.verdict:
            line = f"**Verdict:** {VERDICT_TEXT.get(a.verdict, a.verdict.replace('_', ' '))}"
            if a.speaker is not None and a.speaker.verdict != "not_checked":
                line += f" · {SPEAKER_TEXT[a.speaker.verdict][0]}"
            out += [line, ""]
        out += [_answer_body(a), ""]
        if a.sources:
            out += ["**Citations (full text)**", ""] + _sources_list(a)
        notes = [n for n in a.notices if n not in (a.answer or "")]
        if notes:
            out += [f"> Note: {_one_line(n)}" for n in notes] + [""]
    for i, fb in enumerate(session.feedback, 1):
        out += [f"## Practice feedback (round {i})", "", fb.strip(), ""]
    for i, report in enumerate(session.drafts, 1):
        out += [f"## Draft check {i}", "", report, ""]
    return "\n".join(out).rstrip() + "\n"


SUPPORT_WORDS = {"supported": "supported by the sources", "partly_supported": "partly supported",
                 "contradicted": "contradicted by the sources", "not_in_sources": "not in the sources"}


def round_feedback(claims: list[dict], rich: bool = False) -> str:
    """Short feedback on a practice round: which of the student's claims the sources support.

    `rich`: for the chat (escaped text, coloured verdict badges); else plain Markdown for the brief."""
    if not claims:
        return "No practice arguments yet this round. Pick **Practice debate**, choose your side and make an argument."
    ok = [c for c in claims if c.get("verdict") == "supported"]
    partly = [c for c in claims if c.get("verdict") == "partly_supported"]
    lines = [f"**Round feedback:** {len(ok)} of {len(claims)} of your claims had support in the sources"
             + (f", {len(partly)} partly." if partly else "."), ""]
    for c in claims:
        v = c.get("verdict") or "unchecked"
        words = SUPPORT_WORDS.get(v, "could not be checked")
        text = c.get("text", "").strip()
        if rich:
            lines.append(f"- {badge(v, words) if v in SUPPORT_WORDS else badge('not_in_sources', words)} "
                         f"“{md_escape(' '.join(text.split()))}”")
        else:
            lines.append(f"- “{_one_line(text)}” — **{words}**")
    weak = [c for c in claims if c.get("verdict") not in ("supported", "partly_supported")]
    lines.append("")
    if weak:
        lines.append("_Tip: back the unsupported claims with a quotation (try **Check a claim** or **Argue for/against**) "
                     "or drop them; an opponent will ask for the source._")
    elif partly:
        lines.append("_The partly supported claims say more than the sources do: cut them down to what the "
                     "quotation states, or find evidence for the rest._")
    else:  # every claim supported (the summary line says so too)
        lines.append("_Every claim had support in the sources. Next round, anticipate the rebuttals above._")
    return "\n".join(lines)
