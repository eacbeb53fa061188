"""The web app entry point (`debatebot serve`).

`serve()` opens the index, then loads the embedding model (and, on first start, indexes `seeds/`)
in a background thread while the page is built and served, so the app is up in a few seconds;
the first answer waits for the model if it is asked for that early. It binds 127.0.0.1:7860 unless
told otherwise (0.0.0.0 only when asked, with a warning). Layout: `layout`; handlers: `ui`."""

from __future__ import annotations

import sys
import threading
import time
from concurrent.futures import Future
from pathlib import Path

_LAZY = {  # the gradio-heavy parts load on first use
    "UI": "ui", "new_session": "layout", "build_app": "layout",
    "launch_kwargs": "launch", "app_theme": "launch", "parse_auth": "launch",
}


def __getattr__(name):
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"debatebot.interfaces.web.{_LAZY[name]}"), name)
    raise AttributeError(name)


def _start_engine(library, settings):
    """Background start-up: index the seeds into an empty index, load the model, warm up."""
    from debatebot.answers.engine import Engine
    from debatebot.core.errors import DebatebotError
    from debatebot.core.models import Mode, Request

    try:
        if library.status()["documents"] == 0 and Path(settings.index.seeds_dir).exists():
            print(f"Empty index: indexing {settings.index.seeds_dir} …", file=sys.stderr)
            library.index([settings.index.seeds_dir])
    except DebatebotError as e:
        print(f"error: {e.user_message()}", file=sys.stderr)
    engine = Engine(library)  # loads the embedding model once, shared by every session
    try:  # answer once, so the first real question finds everything loaded
        engine.fallback.warm()
        engine.run(Request(mode=Mode.ask, text="What do the sources say?"))
    except Exception:
        pass
    return engine


def serve(host: str | None = None, port: int | None = None, index_dir: str | Path | None = None,
          *, block: bool = True):
    """Open (and on first start fill) the index, load the model once, launch the app."""
    t0 = time.perf_counter()
    from debatebot.core.settings import get_settings
    from debatebot.corpus.library import Library

    # the command line's overrides are validated like the environment: a bad port is a ConfigError naming it
    web = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    settings = get_settings().updated(web=web, **({"index": {"dir": index_dir}} if index_dir else {}))
    if settings.web.host not in ("127.0.0.1", "localhost", "::1"):
        print(f"WARNING: binding {settings.web.host}: the app is reachable from the network"
              + ("" if settings.web.auth else " without a login (set DEBATEBOT_AUTH=user:pass)") + ".",
              file=sys.stderr)
    library = Library(settings)
    engine: Future = Future()

    def run() -> None:
        try:
            engine.set_result(_start_engine(library, settings))
            print(f"engine ready after {time.perf_counter() - t0:.1f} s", file=sys.stderr)
        except BaseException as e:  # surfaces as a readable error on the first question
            engine.set_exception(e)

    threading.Thread(target=run, name="debatebot-start", daemon=True).start()
    from debatebot.interfaces.web.launch import launch_kwargs
    from debatebot.interfaces.web.layout import build_app

    demo = build_app(library, engine)
    demo.queue(default_concurrency_limit=settings.web.answer_concurrency)
    demo.launch(server_name=settings.web.host, server_port=settings.web.port, prevent_thread_lock=True,
                quiet=True, **launch_kwargs(settings))
    print(f"debatebot serving http://{settings.web.host}:{settings.web.port} after {time.perf_counter() - t0:.1f} s",
          file=sys.stderr)
    if block:
        try:
            demo.block_thread()
        except (KeyboardInterrupt, OSError):
            demo.close()
    return demo
