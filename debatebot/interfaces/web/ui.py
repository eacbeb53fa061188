"""The web app's event handlers (`UI`): plain methods, easy to test without a browser.

`UI(library, engine)`: `engine` may also be a Future of the Engine, so the page can be served while
the models are still loading (the first answer waits for it). The web package: `layout` builds the
Blocks, `launch` holds the theme and login, `render` the HTML, `session` per-tab state, `server`
starts everything (`debatebot serve`)."""

from __future__ import annotations

import logging
import time
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import gradio as gr

from debatebot.answers.drafts import check_draft, read_draft
from debatebot.answers.engine import Engine
from debatebot.answers.markdown import draft_markdown
from debatebot.core.errors import DebatebotError, InputError
from debatebot.core.models import Mode, MotionSide, Request
from debatebot.core.sanitize import escape_markdown
from debatebot.corpus.library import Library
from debatebot.interfaces.web.examples import examples_from_documents
from debatebot.interfaces.web.render import (
    answer_markdown,
    docs_table_html,
    draft_report_html,
    error_markdown,
    md_escape,
    partial_markdown,
    plain_symbols,
    sources_panel_html,
    status_markdown,
    user_markdown,
)
from debatebot.interfaces.web.session import MODE_CHOICES, Session, Turn, round_feedback

log = logging.getLogger(__name__)
OPPONENT_UNSURE = "let the judge read it"
SIDE_CHOICES = {  # the side radio of each mode that has one: (label, choices, default)
    Mode.practice: ("Your side in the practice debate", ["for", "against"], "for"),
    Mode.rebut: ("The side your opponent argues", ["for", "against", OPPONENT_UNSURE], OPPONENT_UNSURE),
}


def side_radio(mode: Mode) -> gr.Radio:
    """The side radio for `mode`: practice asks the student's side; rebut the opponent's (given, it
    adds the other side's evidence; left to the judge, it is used only when the judge is sure)."""
    if mode not in SIDE_CHOICES:
        return gr.Radio(visible=False)
    label, choices, value = SIDE_CHOICES[mode]
    return gr.Radio(choices, value=value, label=label, visible=True)


PLACEHOLDERS = {  # short enough to show whole in the one-line box beside Send on a 360 px phone (a browser test measures them)
    Mode.ask: "Ask about the sources…",
    Mode.argue: "Empty: argue the motion",
    Mode.rebut: "Your opponent's argument",
    Mode.check: "A claim to check",
    Mode.quote: "A quotation, word for word",
    Mode.summary: "Optional focus",
    Mode.practice: "Your argument",
}
PENDING = "_Searching the sources…_"  # shown at once; replaced by the streamed answer


# ---- event handlers ----------------------------------------------------------------------------------
class UI:
    """The app's behaviour, separate from its layout (handlers are plain methods, easy to test)."""

    def __init__(self, library: Library, engine: Engine | Future) -> None:
        self.library = library
        self._engine = engine

    @property
    def engine(self) -> Engine:
        """The engine; while it is still starting, waits for it (start-up errors surface here)."""
        e = self._engine
        return e.result() if isinstance(e, Future) else e

    def engine_label(self) -> str:
        e = self._engine
        if isinstance(e, Future) and not e.done():
            return "starting (loading the embedding model)…"
        try:
            return self.engine.label
        except Exception as err:  # shown in the status line; the chat shows the full message
            return f"not available ({type(err).__name__})"

    # -- chat --
    def build_request(self, session: Session, text: str, mode_label: str, motion: str, side: str,
                      speaker: str, docs_sel: list[str] | None) -> tuple[Request, str]:
        mode, implied_side = MODE_CHOICES.get(mode_label, (Mode.ask, None))
        text, motion_ = (text or "").strip(), (motion or "").strip() or None
        docs = list(docs_sel or []) or None
        common: dict[str, Any] = {"docs": docs, "history": session.history(self.library.settings.web.history_turns)}
        if mode == Mode.argue:
            req = Request(mode=mode, text=text or motion_ or "", motion=motion_, side=implied_side, **common)
            resolved = self.engine.resolve(req)
            if text and resolved is req:  # a new motion typed in the box, not a follow-up
                resolved = req.model_copy(update={"motion": text})
            req = resolved
        elif mode == Mode.practice:
            req = Request(mode=mode, text=text, motion=motion_, side="against" if side == "against" else "for",
                          **common)
        elif mode == Mode.rebut:  # the side the opponent argues, when the user gives it; else the judge reads it
            opponent: MotionSide | None = "for" if side == "for" else "against" if side == "against" else None
            req = Request(mode=mode, text=text, motion=motion_, side=opponent, **common)
        elif mode == Mode.quote:
            req = Request(mode=mode, text=text, speaker=(speaker or "").strip() or None, **common)
        elif mode == Mode.summary:
            req = Request(mode=mode, text=text, topic=text or None, **common)
        else:
            req = self.engine.resolve(Request(mode=mode, text=text, **common))
        shown = text or req.motion or ("the sources' main subject" if mode == Mode.summary else "")
        return self.engine.prepare(req, resolve=False), shown  # resolved above where a follow-up can be

    def oversized(self, text: str, mode_label: str, motion: str, speaker: str) -> tuple[str, str] | None:
        """(what the chat shows instead of the input, the error) when an input is over its limit, else None.

        The limits are the engine's (`Engine.validate`); checked here first so that a huge input is
        refused before it is copied into the chat history and sent back with every update."""
        lim = self.library.settings.limits
        mode, _ = MODE_CHOICES.get(mode_label, (Mode.ask, None))
        fields = [("text", text, self.engine.limit(mode)),
                  ("motion", motion if mode in (Mode.argue, Mode.rebut, Mode.practice) else "", lim.max_query_chars),
                  ("speaker", speaker if mode == Mode.quote else "", lim.max_query_chars)]
        for name, value, limit in fields:
            n = len(value or "")
            if n > limit:
                what = "message" if name == "text" else name
                return (f"_({what} of {n:,} characters, not shown)_",
                        f"The {what} is too long ({n:,} characters; the limit is {limit:,}). "
                        "Shorten it to the sentence or claim you want to work on.")
        return None

    @staticmethod
    def _user_line(mode_label: str, req: Request, shown: str) -> str:
        extra = ""
        if req.mode == Mode.practice:
            extra = f"arguing {req.side} “{req.motion or ''}”"
        elif req.mode == Mode.rebut and req.side and req.motion:
            extra = f"your opponent argues {req.side} “{req.motion}”"
        elif req.mode == Mode.quote and req.speaker:
            extra = f"attributed to {req.speaker}"
        elif req.mode == Mode.argue and req.side:
            mode_label = f"Argue {req.side}"
        return user_markdown(shown or "(empty)", mode_label, extra)

    def respond(self, session: Session, text: str, mode_label: str, motion: str, side: str, speaker: str,
                docs_sel: list[str] | None):
        """Stream one answer into the chat; finally show its sources and refresh the brief."""
        session = session if isinstance(session, Session) else Session()
        turn_id = session.next_id()
        chat = session.chat
        too_long = self.oversized(text, mode_label, motion, speaker)
        if too_long:  # refused without echoing it: neither the chat nor the text box gets it back
            chat += [{"role": "user", "content": user_markdown(too_long[0], mode_label)},
                     {"role": "assistant", "content": error_markdown(too_long[1])}]
            yield list(chat), gr.skip(), session, gr.skip(), gr.skip()
            return
        try:
            req, shown = self.build_request(session, text, mode_label, motion, side, speaker, docs_sel)
        except DebatebotError as e:
            chat += [{"role": "user", "content": user_markdown(text or "", mode_label)},
                     {"role": "assistant", "content": error_markdown(e.user_message())}]
            yield list(chat), gr.skip(), session, text, gr.skip()
            return
        except Exception as e:  # pydantic validation and the like: show, never a stack trace
            log.exception("bad request")
            chat += [{"role": "user", "content": user_markdown(text or "", mode_label)},
                     {"role": "assistant", "content": error_markdown(f"That request could not be understood ({type(e).__name__}).")}]
            yield list(chat), gr.skip(), session, text, gr.skip()
            return
        chat += [{"role": "user", "content": self._user_line(mode_label, req, shown)},
                 {"role": "assistant", "content": PENDING}]
        yield list(chat), gr.skip(), session, "", gr.skip()
        acc, answer = "", None
        try:
            stream = self.engine.stream(req)
            last = 0.0
            for frag in stream:
                acc += frag
                now = time.monotonic()
                if now - last > 0.05:  # at most ~20 screen updates a second
                    chat[-1] = {"role": "assistant", "content": partial_markdown(acc, turn_id)}
                    last = now
                    yield list(chat), gr.skip(), session, "", gr.skip()
            answer = stream.answer
        except DebatebotError as e:
            chat[-1] = {"role": "assistant", "content": error_markdown(e.user_message())}
        except Exception as e:
            log.exception("answer failed")
            chat[-1] = {"role": "assistant", "content": error_markdown(
                f"Something went wrong while answering ({type(e).__name__}). The details are in the server log.")}
        if answer is None:
            yield list(chat), gr.skip(), session, "", gr.skip()
            return
        session.add(Turn(id=turn_id, request=req, answer=answer, shown_text=shown),
                    max_turns=self.library.settings.web.max_session_turns)
        chat[-1] = {"role": "assistant", "content": answer_markdown(answer, turn_id)}
        panel = sources_panel_html(session.turns, self._documents())
        yield list(chat), panel, session, "", str(session.write_brief())

    # -- draft check --
    def draft_text(self, text: str | None, file) -> str:
        """The draft to check: the uploaded file when one is given (read by the one draft reader), else
        the pasted text."""
        if file:
            return read_draft(Path(file if isinstance(file, (str, Path)) else getattr(file, "name", str(file))),
                              self.library.settings)
        return text or ""

    def check_draft(self, session: Session, text: str | None, file, progress=gr.Progress()):
        """Verify every quotation and checkable claim of a pasted or uploaded draft; the report is shown,
        kept in the session's brief, and offered as its own download."""
        session = session if isinstance(session, Session) else Session()
        try:
            draft = self.draft_text(text, file)
            if not draft.strip():
                raise InputError("Paste a draft article or upload one first.")
            engine = self.engine
            progress(0, desc="Finding quotations and claims…")
            report = check_draft(engine, draft, progress=lambda n, total: progress(
                (n - 1) / total, desc=f"Checking item {n} of {total}…"))
        except DebatebotError as e:
            return error_markdown(e.user_message()), session, gr.skip()
        except Exception as e:
            log.exception("draft check failed")
            return (error_markdown(f"Something went wrong while checking the draft ({type(e).__name__}). "
                                   "The details are in the server log."), session, gr.skip())
        md = plain_symbols(draft_markdown(report, escape=escape_markdown))
        body = md.split("\n", 1)[1].strip()  # without its "### Draft check" heading: the brief and the file give theirs
        path = session.add_draft_report(body, self.library.settings.web.max_session_turns)
        return draft_report_html(report), session, str(path)

    def _documents(self):
        try:
            return self.library.documents()
        except Exception:
            log.exception("documents unavailable")
            return {}

    def end_round(self, session: Session):
        """Practice feedback: which of the student's claims this round had support in the sources."""
        session = session if isinstance(session, Session) else Session()
        fb = round_feedback(session.round_claims)
        shown = round_feedback(session.round_claims, rich=True)
        if session.round_claims:
            session.feedback.append(fb)
            session.round_claims = []
        session.chat += [{"role": "assistant", "content": shown}]
        session.trim(self.library.settings.web.max_session_turns)
        return list(session.chat), session, str(session.write_brief())

    def clear(self):
        s = Session()
        return [], sources_panel_html([], {}), s, None

    def export(self, session: Session):
        session = session if isinstance(session, Session) else Session()
        return str(session.write_brief())

    @staticmethod
    def mode_changed(mode_label: str):
        """The inputs each mode uses: placeholder, motion, speaker, side (`side_radio`), feedback."""
        mode, _ = MODE_CHOICES.get(mode_label, (Mode.ask, None))
        return (gr.Textbox(placeholder=PLACEHOLDERS[mode]),
                gr.Textbox(visible=mode in (Mode.argue, Mode.rebut, Mode.practice)),
                gr.Textbox(visible=mode == Mode.quote),
                side_radio(mode),
                gr.Button(visible=mode == Mode.practice))

    # -- documents --
    def refresh_status(self):
        """Status line while starting; stops its timer once the engine is ready."""
        e = self._engine
        ready = not isinstance(e, Future) or e.done()
        try:
            st = self.library.status() if ready else {"documents": 0, "chunks": 0}
        except DebatebotError:
            st = {"documents": 0, "chunks": 0}
        return status_markdown(self.engine_label(), st["documents"], st["chunks"]), gr.Timer(active=not ready)

    def refresh(self, message: str | None = None):
        """(upload message, document table, search selector, remove selector, status line)."""
        try:
            recs = self.library.docs()
            chunks = self.library.store.count()
        except Exception as e:  # the store is unreachable: say so, never "No documents indexed yet"
            why = e.user_message() if isinstance(e, DebatebotError) else f"the index could not be read ({type(e).__name__})"
            if not isinstance(e, DebatebotError):
                log.exception("documents unavailable")
            return (message or md_escape(why), docs_table_html([], error=why), gr.skip(), gr.skip(),
                    status_markdown(self.engine_label(), 0, 0, error=why))
        choices = self.doc_choices(recs)
        return (message if message is not None else gr.skip(), docs_table_html(recs),
                gr.CheckboxGroup(choices=choices, value=[]), gr.Dropdown(choices=[r.doc_id for r in recs], value=None),
                status_markdown(self.engine_label(), len(recs), chunks))

    def doc_choices(self, recs=None) -> list[tuple[str, str]]:
        """(label, doc id) for the "documents searched" selector."""
        try:
            recs = self.library.docs() if recs is None else recs
        except DebatebotError:
            return []
        return [(f"{r.title} ({r.doc_id})" if r.title and r.title != r.doc_id else r.doc_id, r.doc_id) for r in recs]

    def upload(self, files, progress=gr.Progress()):
        """Index uploaded files through `Library.add_files` (checks, limits, nothing left behind on failure)."""
        paths = [Path(f if isinstance(f, (str, Path)) else getattr(f, "name", str(f))) for f in (files or []) if f]
        if not paths:
            return (None,) + self.refresh("Choose one or more .txt, .md, .html or .pdf files first.") + (gr.skip(),)
        report = self.library.add_files(paths, progress=lambda done, total, what: progress((done, total), desc=what))
        return (None,) + self.refresh(md_escape(report.summary())) + (self.examples_for(report.indexed),)

    def examples_for(self, doc_ids: list[str]):
        """The examples panel made from these documents (`examples_from_documents`); unchanged when none."""
        try:
            docs = self.library.documents()
        except DebatebotError:
            return gr.skip()
        new = [docs[d] for d in doc_ids if d in docs]
        if not new:
            return gr.skip()
        ex = examples_from_documents(new)
        return gr.Dataset(samples=ex.rows, sample_labels=ex.labels())

    def remove(self, doc_id: str | None):
        if not doc_id:
            return self.refresh("Pick a document to remove.")
        try:
            self.library.remove(doc_id)
        except DebatebotError as e:
            return self.refresh("**Error:** " + md_escape(e.user_message()))
        except Exception as e:  # the store failing in a way it does not name: still one readable line
            log.exception("remove failed")
            return self.refresh(f"**Error:** the index could not be changed ({type(e).__name__}); "
                                "the details are in the server log.")
        return self.refresh(md_escape(f"Removed {doc_id}."))
