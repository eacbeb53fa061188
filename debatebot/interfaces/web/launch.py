"""How the app is launched: its theme (system fonts only), its static files, and the optional login
(DEBATEBOT_AUTH) with a delay and a lockout after repeated failures."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import gradio as gr

from debatebot.core.settings import Settings

log = logging.getLogger(__name__)
STATIC = Path(__file__).resolve().parent / "static"
SYSTEM_FONTS = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"]
MONO_FONTS = ["ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"]


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
            from debatebot.core.errors import ConfigError

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
        self.delay, self.max_failures = settings.web.login_delay, settings.web.login_max_failures
        self.window = settings.web.login_lockout
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
        "head": ("<style>" + (STATIC / "page.css").read_text(encoding="utf-8") + "</style>"
                 "<script>" + (STATIC / "app.js").read_text(encoding="utf-8") + "</script>"),
        "auth": LoginGuard(pairs, settings).auth if (pairs := parse_auth(settings.web.auth)) else None,
        "max_file_size": int(settings.limits.max_upload_mb * 1024 * 1024),
        "share": False,
        "show_error": False,
        "ssr_mode": False,
        "pwa": False,
        "mcp_server": False,
        "enable_monitoring": False,
        "footer_links": ["settings"],
        "allowed_paths": [],
    }


