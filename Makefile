# eventsync — `make` lists the targets. Every target sets up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
EVENTSYNC_SHEETS_DIR ?= sheets

.PHONY: help sync sync-two-way pull plan demo sandbox test lint format templates bench clean

help: ## list the targets
	@echo "eventsync: keep a spreadsheet of marketing events and HubSpot in step"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "eventsync needs Python 3.11 or newer; set PYTHON=python3.11")'
	@echo "Setting up $(VENV) (first run only; takes a minute)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

sync: $(STAMP) ## send every changed row of the sheets in sheets/ to HubSpot, annotate them
	@$(BIN)/eventsync sync

sync-two-way: $(STAMP) ## sync, and also bring fields changed only in HubSpot into the sheets
	@$(BIN)/eventsync sync --two-way

pull: $(STAMP) ## write sheets/events.xlsx from every event of your portal (HEADERS=ja, FORCE=1)
	@$(BIN)/eventsync pull $(if $(filter ja,$(HEADERS)),--lang ja) $(if $(FORCE),--force) $(EVENTSYNC_SHEETS_DIR)/events.xlsx

plan: $(STAMP) ## dry run: show what `make sync` would send, and every problem
	@$(BIN)/eventsync plan

demo: $(STAMP) ## the whole flow against a local sandbox: no token, no setup
	@$(BIN)/python -m sync.sandbox.demo

sandbox: $(STAMP) ## run the local HubSpot sandbox with the sample events (Ctrl-C stops it)
	@$(BIN)/python -m sync.sandbox --port $${PORT:-8765} --events templates/sample-events.json

test: $(STAMP) ## run the test suite
	@$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP) ## check style and common mistakes (ruff)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .

format: $(STAMP) ## reformat the code (ruff)
	@$(BIN)/ruff format .

bench: $(STAMP) ## run the benchmarks (speed, memory, pacing): prints figures against targets
	@set -e; for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script; done

templates: $(STAMP) ## rebuild templates/ from the column table
	@$(BIN)/python -m sync.sheets.template

clean: ## remove the virtualenv and caches (not your sheets or .eventsync)
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
