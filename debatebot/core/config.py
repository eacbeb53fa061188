"""The offline environment: the one place that says which variables keep debatebot's libraries off the network.

`import debatebot` changes nothing in the environment. `configure()` applies `OFFLINE_DEFAULTS` where the
user has not set them (setdefault); it is called by the CLI's `main`, by the web package on import (before
gradio loads), by the benchmarks, and by the tests' conftest (with `override=True`: the tests never
follow the caller's environment). `configure_hub()` (its Hugging Face part only) is called by the torch
embedding path. The Makefile's exports repeat these values for the scripts it runs that are not
entry points of the package (training); tests/core/test_settings.py checks that they agree."""

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


def _apply(values: dict[str, str], override: bool) -> None:
    for key, value in values.items():
        if override:
            os.environ[key] = value
        else:
            os.environ.setdefault(key, value)


def configure(*, override: bool = False) -> None:
    """Set the offline defaults above where the environment does not already say otherwise
    (`override`: whatever it says)."""
    _apply(OFFLINE_DEFAULTS, override)


def configure_hub(*, override: bool = False) -> None:
    """Only the Hugging Face part (the torch embedding path: benchmarks)."""
    _apply(HUB_DEFAULTS, override)
