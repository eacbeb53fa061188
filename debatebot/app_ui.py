"""The Gradio app's layout (`build_app`), its event handlers (`UI`) and launch options.

`build_app(library, engine)` makes the Blocks; `engine` may also be a Future of the Engine, so
the page can be served while the embedding model is still loading (the first answer waits for it).
Nothing is fetched from the internet: the theme uses system fonts, analytics are off, no share links.
HTML lives in `app_render`; per-session state in `app_session`; `app.serve` starts everything."""

from __future__ import annotations

import os

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")  # before gradio is imported
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import logging  # noqa: E402
import uuid  # noqa: E402
from concurrent.futures import Future  # noqa: E402
import shutil  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import gradio as gr  # noqa: E402

from .app_render import (  # noqa: E402
    _md_escape, chat_markdown, docs_table_html, draft_report_html, error_markdown, plain_symbols, sources_panel_html,
    status_markdown, user_markdown,
)
from .app_session import MODE_CHOICES, Session, Turn, round_feedback  # noqa: E402
from .engine import Engine, check_draft, render_draft_report  # noqa: E402
from .errors import DebatebotError, InputError  # noqa: E402
from .ingest import SUPPORTED, SourceFile, iter_documents, load_file, safe_name  # noqa: E402
from .library import Library  # noqa: E402
from .models import Mode, Request  # noqa: E402
from .sanitize import escape_markdown  # noqa: E402
from .settings import Settings  # noqa: E402

log = logging.getLogger("debatebot.app")
STATIC = Path(__file__).resolve().parent / "static"
SEED_MOTION = "European NATO members should be prepared to use anti-personnel mines"
SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]
UPLOAD_TYPES = sorted(SUPPORTED)
PLACEHOLDERS = {  # short enough to show whole in a one-line box on a phone
    Mode.ask: "Ask a question about the sources…",
    Mode.argue: "Empty: argue the motion above",
    Mode.rebut: "Your opponent's argument",
    Mode.check: "A claim to check against the sources",
    Mode.quote: "A quotation to verify, word for word",
    Mode.summary: "Optional focus (empty: the main subject)",
    Mode.practice: "Your argument; I take the other side",
}
EXAMPLES = [
    ["Argue for", "", "", SEED_MOTION],
    ["Argue against", "", "", SEED_MOTION],
    ["Check a claim", "164 nations ratified the Ottawa Convention", "", SEED_MOTION],
    ["Verify a quote", "The military necessity part of the calculus is frankly terrifying", "Nick Reynolds", SEED_MOTION],
    ["Rebut", "Mines are obsolete now that drones exist", "", SEED_MOTION],
    ["Balanced summary", "", "", SEED_MOTION],
    ["Practice debate", "Mines are cheap and slow down an invading army", "", SEED_MOTION],
]
PENDING = "_Searching the sources…_"  # shown at once; replaced by the streamed answer
CHAT_PLACEHOLDER = (
    "**debatebot** only speaks from its sources: every quotation is verbatim and every **[n]** opens the "
    "passage in context.\n\nPick a mode, then type below — or start from an example underneath."
)


def example_label(example: list[str]) -> str:
    """"Mode: what it works on": the typed text, the motion for the modes that argue it, else the mode alone."""
    mode, text, _, motion = example
    what = text or (motion if MODE_CHOICES.get(mode, (None,))[0] in (Mode.argue, Mode.rebut, Mode.practice) else "")
    return f"{mode}: {what}"[:90] if what else mode


# ---- launch configuration ----------------------------------------------------------------------------
def app_theme() -> gr.themes.Base:
    """The default theme with system fonts (the stock theme would load Google Fonts)."""
    return gr.themes.Default(font=SYSTEM_FONTS, font_mono=MONO_FONTS)


def parse_auth(spec) -> list[tuple[str, str]] | None:
    """'user:pass,user2:pass2' -> [(user, pass), ...]; None when unset."""
    raw = spec.get_secret_value() if hasattr(spec, "get_secret_value") else spec
    if not raw or not raw.strip():
        return None
    pairs = []
    for item in raw.split(","):
        user, sep, pw = item.strip().partition(":")
        if not sep or not user or not pw:
            from .errors import ConfigError

            raise ConfigError("DEBATEBOT_AUTH must look like 'user:pass,user2:pass2'.")
        pairs.append((user, pw))
    return pairs


class LoginGuard:
    """The login check handed to Gradio (`auth=guard.auth`): constant-time comparison, a delay on
    every wrong attempt, and a lockout of a user name after `login_max_failures` wrong attempts
    within `login_lockout` seconds (for `login_lockout` seconds, even with the right password).

    `auth` is a coroutine: Gradio awaits it in its event loop, so the delay holds one login request,
    never the server."""

    def __init__(self, pairs: list[tuple[str, str]], settings: Settings, clock=time.monotonic) -> None:
        import threading

        self._pairs = dict(pairs)
        self.delay, self.max_failures = settings.login_delay, settings.login_max_failures
        self.window = settings.login_lockout
        self._clock = clock
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}
        self._lock = threading.Lock()

    def locked(self, username: str) -> bool:
        with self._lock:
            return self._locked_until.get(username, 0.0) > self._clock()

    def check(self, username: str, password: str) -> bool:
        """The decision alone (no delay): right password and the name not locked."""
        import hmac

        username, password = str(username or ""), str(password or "")
        expected = self._pairs.get(username)
        good = hmac.compare_digest(password.encode(), (expected if expected is not None else "\x00" + password).encode())
        now = self._clock()
        with self._lock:
            if self._locked_until.get(username, 0.0) > now:
                return False
            if good:
                self._failures.pop(username, None)
                return True
            recent = [t for t in self._failures.get(username, []) if now - t < self.window] + [now]
            self._failures[username] = recent
            if len(recent) >= self.max_failures:
                self._locked_until[username] = now + self.window
                self._failures.pop(username, None)
                log.warning("login: user name %r locked for %g s after %d wrong passwords", username[:40],
                            self.window, len(recent))
            if len(self._failures) > 10000:  # bounded even under a flood of made-up user names
                self._failures.clear()
            return False

    async def auth(self, username: str, password: str) -> bool:
        import asyncio

        if self.check(username, password):
            return True
        await asyncio.sleep(self.delay)
        return False


def launch_kwargs(settings: Settings) -> dict:
    """Everything `launch()` needs besides host/port: theme, css, head script, auth, upload limit."""
    return {
        "theme": app_theme(),
        "css": (STATIC / "app.css").read_text(encoding="utf-8"),
        "head": "<script>" + (STATIC / "app.js").read_text(encoding="utf-8") + "</script>",
        "auth": LoginGuard(pairs, settings).auth if (pairs := parse_auth(settings.auth)) else None,
        "max_file_size": int(settings.max_upload_mb * 1024 * 1024),
        "share": False,
        "show_error": False,
        "ssr_mode": False,
        "pwa": False,
        "mcp_server": False,
        "enable_monitoring": False,
        "footer_links": ["settings"],
        "allowed_paths": [],
    }


def upload_dir_for(settings: Settings) -> Path:
    """Where uploads are kept: `settings.upload_dir`, or beside the index when left at its default."""
    default = Settings.model_fields["upload_dir"].default
    if Path(settings.upload_dir) == Path(default):
        return Path(settings.index_dir) / "uploads"
    return Path(settings.upload_dir)


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
        common = {"docs": docs, "history": session.history()}
        if mode == Mode.argue:
            req = Request(mode=mode, text=text or motion_ or "", motion=motion_, side=implied_side, **common)
            resolved = self.engine.resolve(req)
            if text and resolved is req:  # a new motion typed in the box, not a follow-up
                resolved = req.model_copy(update={"motion": text})
            req = resolved
        elif mode == Mode.practice:
            req = Request(mode=mode, text=text, motion=motion_, side=side if side in ("for", "against") else "for",
                          **common)
        elif mode == Mode.rebut:
            req = Request(mode=mode, text=text, motion=motion_, **common)
        elif mode == Mode.quote:
            req = Request(mode=mode, text=text, speaker=(speaker or "").strip() or None, **common)
        elif mode == Mode.summary:
            req = Request(mode=mode, text=text, topic=text or None, **common)
        else:
            req = self.engine.resolve(Request(mode=mode, text=text, **common))
        shown = text or req.motion or ("the sources' main subject" if mode == Mode.summary else "")
        return req, shown

    def oversized(self, text: str, mode_label: str, motion: str, speaker: str) -> tuple[str, str] | None:
        """(what the chat shows instead of the input, the error) when an input is over its limit, else None.

        The limits are the engine's (`Engine.validate`); checked here first so that a huge input is
        refused before it is copied into the chat history and sent back with every update."""
        s = self.library.settings
        mode, _ = MODE_CHOICES.get(mode_label, (Mode.ask, None))
        fields = [("text", text, 20000 if mode == Mode.quote else s.max_query_chars),
                  ("motion", motion if mode in (Mode.argue, Mode.rebut, Mode.practice) else "", s.max_query_chars),
                  ("speaker", speaker if mode == Mode.quote else "", s.max_query_chars)]
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
            gen = self.engine.stream(req)
            last = 0.0
            while True:
                try:
                    frag = next(gen)
                except StopIteration as stop:
                    answer = stop.value
                    break
                acc += frag
                now = time.monotonic()
                if now - last > 0.05:  # at most ~20 screen updates a second
                    chat[-1] = {"role": "assistant", "content": chat_markdown(acc, turn_id)}
                    last = now
                    yield list(chat), gr.skip(), session, "", gr.skip()
        except DebatebotError as e:
            chat[-1] = {"role": "assistant", "content": error_markdown(e.user_message())}
        except ImportError as e:
            log.exception("mode unavailable")
            chat[-1] = {"role": "assistant", "content": error_markdown(
                f"This mode is not available in this installation yet ({getattr(e, 'name', None) or e}).")}
        except Exception as e:
            log.exception("answer failed")
            chat[-1] = {"role": "assistant", "content": error_markdown(
                f"Something went wrong while answering ({type(e).__name__}). The details are in the server log.")}
        if answer is None:
            yield list(chat), gr.skip(), session, "", gr.skip()
            return
        session.add(Turn(id=turn_id, request=req, answer=answer, shown_text=shown),
                    max_turns=self.library.settings.max_session_turns)
        chat[-1] = {"role": "assistant", "content": chat_markdown(answer.answer, turn_id, answer)}
        panel = sources_panel_html(session.turns, self._documents())
        yield list(chat), panel, session, "", str(session.write_brief())

    # -- draft check --
    def draft_text(self, text: str | None, file) -> str:
        """The draft to check: the uploaded file (read like a source: .txt, .md, .html or .pdf, bounded in
        characters and time) when one is given, else the pasted text."""
        if file:
            src = Path(file if isinstance(file, (str, Path)) else getattr(file, "name", str(file)))
            name = safe_name(src.name)
            if Path(name).suffix.lower() not in SUPPORTED:
                raise InputError(f"{name}: unsupported file type — use {', '.join(UPLOAD_TYPES)}.")
            s = self.library.settings
            doc = load_file(SourceFile(path=src, doc_id=f"draft/{name}"), max_chars=s.max_doc_chars,
                            max_seconds=s.max_parse_seconds)
            return doc.text
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
        md = plain_symbols(render_draft_report(report, escape=escape_markdown))
        body = md.split("\n", 1)[1].strip()  # without its "### Draft check" heading: the brief and the file give theirs
        path = session.add_draft_report(body, self.library.settings.max_session_turns)
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
        session.trim(self.library.settings.max_session_turns)
        return list(session.chat), session, str(session.write_brief())

    def clear(self):
        s = Session()
        return [], sources_panel_html([], {}), s, None

    def export(self, session: Session):
        session = session if isinstance(session, Session) else Session()
        return str(session.write_brief())

    @staticmethod
    def mode_changed(mode_label: str):
        mode, _ = MODE_CHOICES.get(mode_label, (Mode.ask, None))
        return (gr.Textbox(placeholder=PLACEHOLDERS[mode]),
                gr.Textbox(visible=mode in (Mode.argue, Mode.rebut, Mode.practice)),
                gr.Textbox(visible=mode == Mode.quote),
                gr.Radio(visible=mode == Mode.practice),
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
            return (message or _md_escape(why), docs_table_html([], error=why), gr.skip(), gr.skip(),
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
        """Check type and size, read each file (bounded in characters and time, outside the index lock),
        index what could be read with a progress bar, and only then keep each indexed file under the
        upload folder with a safe name. A file that fails leaves nothing behind: no copy in the folder,
        and the stored copy of an earlier upload of the same name stays as it was."""
        files = [f for f in (files or []) if f]
        if not files:
            return (None,) + self.refresh("Choose one or more .txt, .md, .html or .pdf files first.")
        s = self.library.settings
        limit = s.max_upload_mb * 1024 * 1024
        folder = upload_dir_for(s).resolve()
        problems: list[str] = []
        accepted: list[tuple[SourceFile, Path]] = []  # (file as read from its temporary copy, final path)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            return (None,) + self.refresh(f"Cannot create the upload folder {folder}: {e.strerror or e}")
        try:
            for f in files:
                src = Path(f if isinstance(f, (str, Path)) else getattr(f, "name", str(f)))
                name = safe_name(src.name)
                ext = Path(name).suffix.lower()
                if ext not in SUPPORTED:
                    problems.append(f"{name}: unsupported file type — use {', '.join(UPLOAD_TYPES)}")
                    continue
                try:
                    size = src.stat().st_size
                except OSError:
                    problems.append(f"{name}: the upload could not be read")
                    continue
                if size > limit:
                    problems.append(f"{name}: too large ({size / 1e6:.1f} MB; the limit is {s.max_upload_mb:g} MB)")
                    continue
                dest = (folder / name).resolve()
                if dest.parent != folder:  # safe_name makes this impossible; checked anyway
                    problems.append(f"{name}: refused (file name)")
                    continue
                if any(d == dest for _, d in accepted):  # e.g. "a.txt" and "..\\a.txt" in one upload
                    problems.append(f"{name}: another file of this upload has the same name; the first one was kept")
                    continue
                tmp = folder / f".incoming-{uuid.uuid4().hex[:12]}{ext}"  # hidden: never listed, never indexed
                try:
                    shutil.copyfile(src, tmp)
                except OSError as e:
                    problems.append(f"{name}: the upload could not be stored ({e.strerror or e})")
                    _unlink(tmp)
                    continue
                accepted.append((SourceFile(path=tmp, doc_id=f"uploads/{name}"), dest))
            msg_parts: list[str] = []
            if accepted:
                msg_parts = self._index_uploads(accepted, problems, progress)
        finally:
            for sf, _ in accepted:  # whatever was not moved into place (failed, or an error) goes
                _unlink(sf.path)
        if problems:
            msg_parts.append("**Not indexed:**\n" + "\n".join(f"- {p}" for p in problems))
        return (None,) + self.refresh(_md_escape("\n\n".join(msg_parts) or "Nothing to index."))

    def _index_uploads(self, accepted: list[tuple[SourceFile, Path]], problems: list[str], progress) -> list[str]:
        """Read the temporary copies (no lock held), index the readable ones, move them into place."""
        s = self.library.settings
        progress((0, len(accepted)), desc="Reading files")
        final = {sf.doc_id: dest for sf, dest in accepted}
        items = []
        for n, (sf, doc, err) in enumerate(iter_documents([sf for sf, _ in accepted], max_chars=s.max_doc_chars,
                                                          max_seconds=s.max_parse_seconds), 1):
            progress((n, len(accepted)), desc=f"Reading {sf.doc_id}")
            if doc is None:
                problems.append(err or f"{sf.doc_id}: unreadable")
            else:
                items.append((f"file:{final[sf.doc_id]}", doc, None))
        if not items:
            return []

        def on_progress(done: int, total: int, doc_id: str) -> None:
            progress((done, total), desc=f"Indexing {doc_id}")

        try:
            report = self.library.add_documents(items, progress=on_progress)
        except DebatebotError as e:
            problems.append("the index could not be written: " + e.user_message())
            return []
        except Exception as e:  # the store failing in a way it does not name: still one readable line
            log.exception("upload indexing failed")
            problems.append(f"the index could not be written ({type(e).__name__}); the details are in the server log")
            return []
        msg_parts: list[str] = []
        tmp_of = {sf.doc_id: sf.path for sf, _ in accepted}
        for doc_id in report.added + report.updated + report.unchanged:
            try:
                os.replace(tmp_of[doc_id], final[doc_id])  # the stored copy changes only once indexed
            except (KeyError, OSError) as e:
                log.warning("could not keep the upload %s: %s", doc_id, e)
        done = report.added + report.updated
        if done:
            msg_parts.append(f"Indexed {len(done)} document(s): " + ", ".join(done))
        if report.unchanged:
            msg_parts.append("Unchanged (already indexed): " + ", ".join(report.unchanged))
        problems += [f"{f.get('doc') or f.get('source') or f.get('path', '')}: {f.get('error') or f.get('reason', '')}"
                     for f in report.failed]
        return msg_parts

    def remove(self, doc_id: str | None):
        if not doc_id:
            return self.refresh("Pick a document to remove.")
        try:
            self.library.remove(doc_id)
        except DebatebotError as e:
            return self.refresh("**Error:** " + _md_escape(e.user_message()))
        except Exception as e:  # the store failing in a way it does not name: still one readable line
            log.exception("remove failed")
            return self.refresh(f"**Error:** the index could not be changed ({type(e).__name__}); "
                                "the details are in the server log.")
        if doc_id.startswith("uploads/"):  # drop our copy of the upload too (never outside the folder)
            folder = upload_dir_for(self.library.settings).resolve()
            path = (folder / safe_name(doc_id.split("/", 1)[1])).resolve()
            if path.parent == folder and path.is_file():
                path.unlink()
        return self.refresh(_md_escape(f"Removed {doc_id}."))


def _unlink(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        log.warning("could not remove %s", path)


def new_session() -> Session:
    """A fresh per-browser-session state (a function: gr.State would serialise a dataclass type)."""
    return Session()


# ---- layout -------------------------------------------------------------------------------------------
def build_app(library: Library, engine: Engine | Future) -> gr.Blocks:
    ui = UI(library, engine)
    mb = library.settings.max_upload_mb
    with gr.Blocks(title="debatebot", analytics_enabled=False) as demo:
        session = gr.State(new_session)
        gr.HTML("<h1>debatebot <small>debate preparation that only speaks from its sources</small></h1>",
                elem_id="title", js_on_load=None)
        status = gr.HTML(status_markdown(ui.engine_label(), 0, 0), elem_id="status", js_on_load=None)
        with gr.Tabs():
            with gr.Tab("Debate", id="debate"):
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=480):
                        mode = gr.Radio(list(MODE_CHOICES), value="Ask", label="Mode", elem_id="mode")
                        motion = gr.Textbox(SEED_MOTION, label="Motion (used by Argue, Rebut and Practice)",
                                            max_lines=3, visible=False, elem_id="motion")
                        with gr.Row():
                            side = gr.Radio(["for", "against"], value="for", label="Your side in the practice debate",
                                            visible=False, elem_id="side")
                            speaker = gr.Textbox(label="Speaker the quotation is attributed to (optional)",
                                                 placeholder="e.g. Nick Reynolds", visible=False, elem_id="speaker")
                        chatbot = gr.Chatbot(label="Debate", height=620, latex_delimiters=[], elem_id="chat",
                                             placeholder=CHAT_PLACEHOLDER, feedback_options=None,
                                             buttons=["copy"], group_consecutive_messages=False)
                        with gr.Row():
                            # not autofocus: the browser would scroll the page down to the box on load
                            # (app.js focuses it without scrolling, on devices with a mouse)
                            text = gr.Textbox(show_label=False, placeholder=PLACEHOLDERS[Mode.ask], lines=1,
                                              max_lines=6, scale=6, elem_id="ask-box")
                            send = gr.Button("Send", variant="primary", scale=1, min_width=90, elem_id="send")
                        with gr.Row():
                            feedback_btn = gr.Button("End round / feedback", visible=False, elem_id="feedback",
                                                     size="sm")
                            export = gr.DownloadButton("Export brief (.md)", elem_id="export", size="sm")
                            clear = gr.Button("New conversation", elem_id="clear", size="sm")
                        with gr.Accordion("Documents searched (none ticked = all)", open=False):
                            docs_sel = gr.CheckboxGroup(choices=ui.doc_choices(), show_label=False, elem_id="docs-sel")
                        gr.Examples(EXAMPLES, inputs=[mode, text, speaker, motion], label="Examples",
                                    example_labels=[example_label(e) for e in EXAMPLES])
                    with gr.Column(scale=2, min_width=360, elem_id="sources-col"):
                        gr.HTML("<div class='sources-head'><h3>Sources</h3></div>", elem_id="sources-head",
                                js_on_load=None)
                        sources = gr.HTML(sources_panel_html([], {}), elem_id="sources-panel", js_on_load=None)
            with gr.Tab("Check a draft", id="draft"):
                gr.Markdown("Paste a draft article (or upload it): every quotation, with the speaker the draft gives "
                            "it, and every checkable factual sentence is verified against the indexed sources.",
                            elem_id="draft-help")
                draft_box = gr.Textbox(label="Draft article", lines=10, max_lines=30, elem_id="draft-box",
                                       placeholder="Paste the draft here…")
                draft_file = gr.File(file_count="single", file_types=UPLOAD_TYPES, type="filepath",
                                     label="…or upload it", elem_id="draft-file")
                with gr.Row():
                    draft_btn = gr.Button("Check the draft", variant="primary", elem_id="draft-btn")
                    draft_export = gr.DownloadButton("Export report (.md)", elem_id="draft-export", size="sm")
                draft_out = gr.HTML("", elem_id="draft-report", js_on_load=None)
            with gr.Tab("Documents", id="documents"):
                upload = gr.File(file_count="multiple", file_types=UPLOAD_TYPES, type="filepath",
                                 label=f"Upload sources ({', '.join(UPLOAD_TYPES)}; up to {mb:g} MB each)",
                                 elem_id="upload")
                upload_btn = gr.Button("Add to index", variant="primary", elem_id="upload-btn")
                upload_msg = gr.Markdown(elem_id="upload-msg")
                docs_table = gr.HTML(docs_table_html([]), elem_id="docs-table", js_on_load=None)
                with gr.Row():
                    remove_sel = gr.Dropdown(choices=[d for _, d in ui.doc_choices()], value=None, label="Remove a document", scale=3, elem_id="remove-sel")
                    remove_btn = gr.Button("Remove", variant="stop", scale=1, elem_id="remove-btn")

        doc_outputs = [upload_msg, docs_table, docs_sel, remove_sel, status]
        chat_inputs = [session, text, mode, motion, side, speaker, docs_sel]
        chat_outputs = [chatbot, sources, session, text, export]
        send.click(ui.respond, chat_inputs, chat_outputs, api_name="respond", show_progress="minimal")
        text.submit(ui.respond, chat_inputs, chat_outputs, api_visibility="private", show_progress="minimal")
        feedback_btn.click(ui.end_round, [session], [chatbot, session, export], api_name="end_round")
        clear.click(ui.clear, None, [chatbot, sources, session, export], api_name="clear")
        mode.change(ui.mode_changed, [mode], [text, motion, speaker, side, feedback_btn], api_visibility="private",
                    queue=False)
        upload_btn.click(ui.upload, [upload], [upload] + doc_outputs, api_name="upload")
        remove_btn.click(ui.remove, [remove_sel], doc_outputs, api_name="remove")
        draft_btn.click(ui.check_draft, [session, draft_box, draft_file], [draft_out, session, draft_export],
                        api_name="check_draft")
        demo.load(ui.refresh, None, doc_outputs, api_visibility="private")
        if isinstance(engine, Future):  # refresh the status line once the model has loaded
            timer = gr.Timer(1.0)
            timer.tick(ui.refresh_status, None, [status, timer], api_visibility="private", show_progress="hidden")
        # an API-only endpoint for the brief (the button itself is refreshed after every answer)
        gr.Button(visible=False).click(ui.export, [session], [export], api_name="export")
    return demo
