# eventsync — `make` lists the targets. Every target sets up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.DEFAULT_GOAL := help
EVENTSYNC_SHEETS_DIR ?= sheets

# Options passed through to eventsync (see `make help`):
#   make sync FORCE=1 TWO_WAY=1      make plan ARGS="--json"      make pull HEADERS=ja
# ARGS goes to eventsync as it is; FORCE and TWO_WAY are on unless empty or 0.
ARGS ?=
on = $(filter-out 0,$(1))
FORCE_FLAG = $(if $(call on,$(FORCE)),--force)
TWO_WAY_FLAG = $(if $(call on,$(TWO_WAY)),--two-way)

.PHONY: help sync sync-two-way pull plan watch demo sandbox test test-fast lint format templates \
	bench clean check-headers test-windows setup-venv

help: ## list the targets
	@echo "eventsync: keep a spreadsheet of marketing events and HubSpot in step"
	@echo
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "Options: FORCE=1 (sync, pull), TWO_WAY=1 (sync, plan), HEADERS=ja (pull), and"
	@echo "ARGS=\"...\" for any other eventsync option of sync, plan, pull and watch (ARGS=\"--json\")."
	@echo "Every target but this list sets up .venv first. More: README.md, docs/commands.md."

# Started twice at once (`make sandbox` here, `make pull` there, on a fresh clone), the
# second waits for the first setup and then goes on: tools/setup_once.py holds a lock
# around setup-venv, the install itself.
$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "eventsync needs Python 3.11 or newer; set PYTHON=python3.11")'
	@$(PYTHON) tools/setup_once.py $(VENV)/.setup-lock $(STAMP) pyproject.toml -- \
		$(MAKE) --no-print-directory -f $(firstword $(MAKEFILE_LIST)) setup-venv

# One line says what happens; installer output shows only on failure. uv (already on
# PATH, or installed into .venv by pip) makes the first install a few times faster;
# plain pip is the fallback whenever uv cannot be had or fails. Run by $(STAMP) above.
setup-venv:
	@echo "Setting up $(VENV): eventsync with its test and lint tools (first run only)..."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@set -e; uv=$$(command -v uv || true); \
	if [ -z "$$uv" ] && $(BIN)/python -m pip install -qq uv >/dev/null 2>&1; then uv=$(BIN)/uv; fi; \
	if [ -n "$$uv" ] && "$$uv" pip install -q --python $(BIN)/python -e '.[dev]'; then :; else \
		if [ -n "$$uv" ]; then echo "uv could not install; using pip instead"; fi; \
		$(BIN)/python -m pip install -qq --disable-pip-version-check --upgrade pip; \
		$(BIN)/python -m pip install -qq --disable-pip-version-check -e '.[dev]'; \
	fi
	@touch $(STAMP)

sync: $(STAMP) ## send every changed row of the sheets in sheets/ to HubSpot, annotate them
	@EVENTSYNC_VIA=make $(BIN)/eventsync sync $(FORCE_FLAG) $(TWO_WAY_FLAG) $(ARGS)

sync-two-way: $(STAMP) ## sync, and also bring fields changed only in HubSpot into the sheets
	@EVENTSYNC_VIA=make $(BIN)/eventsync sync --two-way $(FORCE_FLAG) $(ARGS)

# HEADERS: ja for Japanese headers, en (or empty) for English, in either case; anything
# else stops before anything is installed or written.
check-headers:
	@case "$(HEADERS)" in \
		[jJ][aA]|[eE][nN]|"") ;; \
		*) echo "make pull: HEADERS=$(HEADERS) is not a header language; use HEADERS=ja (Japanese) or HEADERS=en (English, the default)" >&2; exit 2 ;; \
	esac

pull: check-headers $(STAMP) ## write sheets/events.xlsx from every event of your portal (HEADERS=ja, FORCE=1)
	@EVENTSYNC_VIA=make $(BIN)/eventsync pull $(if $(filter ja JA Ja jA,$(HEADERS)),--lang ja) $(FORCE_FLAG) $(ARGS) $(EVENTSYNC_SHEETS_DIR)/events.xlsx

plan: $(STAMP) ## dry run: show what `make sync` would send, and every problem
	@EVENTSYNC_VIA=make $(BIN)/eventsync plan $(TWO_WAY_FLAG) $(ARGS)

watch: $(STAMP) ## sync each sheet in sheets/ whenever it is saved, until Ctrl-C (docs/watch.md)
	@EVENTSYNC_VIA=make $(BIN)/eventsync watch $(ARGS)

demo: $(STAMP) ## the whole flow against a local sandbox: no token, no setup
	@$(BIN)/python -m eventsync.sandbox.demo

# PORT=8766 for another port; ANY_TOKEN=1 to accept any token, not only the sandbox's own
# (docs/sandbox.md). EVENTSYNC_VIA=make: its messages suggest `make sandbox PORT=...`.
sandbox: $(STAMP) ## run the local HubSpot sandbox with the sample events (Ctrl-C stops it; PORT=8766)
	@EVENTSYNC_VIA=make $(BIN)/python -m eventsync.sandbox --port $${PORT:-8765} \
		--events templates/sample-events.json \
		--property-definitions templates/sample-properties.json $(if $(call on,$(ANY_TOKEN)),--any-token)

test: $(STAMP) ## run the test suite
	@$(BIN)/python -m pytest -n 2 -q

test-fast: $(STAMP) ## run the test suite without the slow end-to-end tests
	@$(BIN)/python -m pytest -n 2 -q -m "not slow"

test-windows: $(STAMP) ## the test suite, then a first sync from the wheel, under Windows Python in Wine (docs/windows-testing.md)
	@HOST_PYTHON=$(CURDIR)/$(BIN)/python tools/windows/test-windows
	@HOST_PYTHON=$(CURDIR)/$(BIN)/python tools/windows/first-sync

lint: $(STAMP) ## check style, common mistakes (ruff) and types (mypy, also as on Windows and macOS; the tests too)
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy
	@$(BIN)/mypy --platform win32
	@$(BIN)/mypy --platform darwin
	@$(BIN)/mypy --config-file tests/mypy.ini

format: $(STAMP) ## reformat the code (ruff)
	@$(BIN)/ruff format .

bench: $(STAMP) ## run the benchmarks (speed, memory, pacing): prints figures against targets
	@set -e; for script in benchmarks/bench_*.py; do echo "== $$script"; $(BIN)/python $$script; done

templates: $(STAMP) ## rebuild templates/ from the column table
	@$(BIN)/python -m eventsync.sheets.template
	@$(BIN)/python -m eventsync.sandbox.sample

clean: ## remove the virtualenv and caches (not your sheets or .eventsync)
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .hypothesis
