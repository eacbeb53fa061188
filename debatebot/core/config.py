"""Process-wide defaults for the libraries debatebot drives, set once by the entry points.

`import debatebot` changes nothing in the environment; the CLI, `debatebot serve` and the web
app call `configure()` before they import gradio, chromadb or (in benchmarks and training) the
Hugging Face stack. Values the user has set are kept (setdefault)."""

from __future__ import annotations

import os

# nothing may reach the network at run time: no telemetry, no model or hub downloads
OFFLINE_DEFAULTS = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ANONYMIZED_TELEMETRY": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}


def configure() -> None:
    """Set the offline defaults above where the environment does not already say otherwise."""
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
