# Two commands on a fresh machine:  `make run`  (install + start the app)  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install run index test test-fast bench bench-all eval browser-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch 2.13.0 CPU build first: it lies on this machine's disk; an unpinned torch pulls CUDA.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/debatebot serve

index: install
	$(VENV)/bin/debatebot index

# Chromium for the browser tests comes from Debian (a playwright browser download fails offline).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (sudo apt-get install chromium)"; fi; }

test: install browser-deps
	$(PY) -m pytest -q

test-fast: install
	$(PY) -m pytest -q -m "not slow and not browser"

bench: install
	$(PY) benchmarks/run.py

# every benchmark, one after the other (about 55 minutes on 2 cores; needs ../shared/eval)
bench-all: install
	$(PY) benchmarks/run.py
	$(PY) benchmarks/scale.py --server
	$(PY) benchmarks/sentence_graph.py
	$(PY) benchmarks/plant.py
	$(PY) benchmarks/wice_retrieval.py
	$(PY) benchmarks/startup.py

eval: install
	$(VENV)/bin/debatebot eval ../shared/eval

clean:
	rm -rf $(VENV) build *.egg-info
