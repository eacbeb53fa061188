"""The web app (`debatebot serve`): `server` starts it, `layout` builds the Blocks, `ui` handles events,
`launch` holds the theme and login, `render` the HTML, `session` per-tab state.

Importing this package sets the offline defaults (`configure()`: no analytics, no hub downloads)
before any of its modules loads gradio, which reads some of them at import."""

from debatebot.core.config import configure

configure()
