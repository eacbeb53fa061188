"""Process-wide defaults for the libraries debatebot drives, set once by the entry points.

`import debatebot` changes nothing in the environment. `configure()` is called by the CLI's `main`,
by the web package on import (before gradio loads) and by the benchmarks; `configure_hub()` (its
Hugging Face part only) by the torch embedding path. Values the user has set are kept (setdefault)."""

from __future__ import annotations

import os

# nothing may reach the network at run time: no telemetry, no model or hub downloads
HUB_DEFAULTS = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_PROGRESS_BARS": "1",
    "TRANSFORMERS_VERBOSITY": "error",
}
OFFLINE_DEFAULTS = {"GRADIO_ANALYTICS_ENABLED": "False", "ANONYMIZED_TELEMETRY": "False", **HUB_DEFAULTS}


def configure() -> None:
    """Set the offline defaults above where the environment does not already say otherwise."""
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)


def configure_hub() -> None:
    """Only the Hugging Face part (the torch embedding path: benchmarks)."""
    for key, value in HUB_DEFAULTS.items():
        os.environ.setdefault(key, value)
