# The two commands a newcomer needs: `make serve` and `make test`. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SITE_LOCK := requirements/site.lock
DEV_LOCK := requirements/dev.lock
ENGINES_LOCK := requirements/engines.lock
HOST ?= 127.0.0.1
PORT ?= 8000
export NO_MKDOCS_2_WARNING := 1
# pytest-xdist workers for test-fast (XDIST= runs it in one process).
XDIST ?= -n 2

.PHONY: help install install-dev serve build check lint lint-then-unit format test test-fast test-unit test-site compare-engines lock clean

help: ## List the targets
	@awk -F ':.*## ' '/^[a-z-]+:.*## / { printf "  %-12s %s\n", $$1, $$2 }' $(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# A stamp per lock file: nothing is reinstalled while the lock and pyproject.toml are unchanged.
$(VENV)/.site-installed: $(SITE_LOCK) pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(SITE_LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev-installed: $(DEV_LOCK) $(VENV)/.site-installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(DEV_LOCK)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

install: $(VENV)/.site-installed ## Create .venv and install the locked site and checker dependencies

install-dev: $(VENV)/.dev-installed ## install, plus the test dependencies

# --no-strict: a broken link while you edit is a warning in the log, not a dead server.
# SITE_URL: serve at the root of the dev server, not under the deployed site's sub-path.
serve: install ## Build and serve the site at http://127.0.0.1:8000 with live reload
	SITE_URL=http://$(HOST):$(PORT)/ $(BIN)/mkdocs serve --no-strict --dev-addr $(HOST):$(PORT)

build: install ## Strict build of the site into site/
	$(BIN)/mkdocs build --strict --clean --site-dir site

check: install ## Run sitecheck (links and offline reference checks) on the repository
	$(BIN)/sitecheck

lint: install-dev ## ruff and mypy over the checker, tests and benchmarks (configured in pyproject.toml)
	$(BIN)/ruff check scripts tests bench
	$(BIN)/ruff format --check scripts tests bench
	$(BIN)/mypy

format: install-dev ## Format the checker, tests and benchmarks with ruff format
	$(BIN)/ruff format scripts tests bench

# Test lanes, chosen by marker (pyproject.toml; tests/conftest.py marks every test that builds the
# site or drives a browser from the fixtures it uses):
#   test-fast  no site build, no browser, no package index: the loop while you work (about a minute)
#   test-unit  test-fast plus the tests that install from the package index
#   test-site  the strict build of the real site and the browser tests, in one process
# `make test` runs two lanes side by side (two processes: Playwright's event loop and the checker's
# asyncio must not share one): lint then test-unit, and test-site, the longer one, from the start.
# Each lane's output is printed whole; any failure fails `make test`.
FAST_MARKS := not browser and not build and not network
UNIT_MARKS := not browser and not build
SITE_MARKS := browser or build
PYTEST := $(BIN)/python -m pytest

test: install-dev ## Lint and the whole test suite: unit, build and browser tests (what CI runs)
	$(MAKE) --no-print-directory -j2 --output-sync=target lint-then-unit test-site

lint-then-unit: lint
	$(PYTEST) -m "$(UNIT_MARKS)" $(PYTEST_ARGS)

test-fast: install-dev ## Only the quick tests: no site build, no browser, no network (while you work)
	$(PYTEST) -m "$(FAST_MARKS)" $(XDIST) $(PYTEST_ARGS)

test-unit: install-dev ## The tests that build no site and drive no browser (test-fast plus the network install)
	$(PYTEST) -m "$(UNIT_MARKS)" $(PYTEST_ARGS)

test-site: install-dev ## The strict build of the real site and the browser tests
	$(PYTEST) -m "$(SITE_MARKS)" $(PYTEST_ARGS)

lock: install-dev ## Re-resolve the lock files from pyproject.toml (needs the package index)
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --extra site \
		-o $(SITE_LOCK) pyproject.toml
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --extra site --extra dev \
		-c $(SITE_LOCK) -o $(DEV_LOCK) pyproject.toml
	$(BIN)/uv pip compile --quiet --python-version 3.11 --generate-hashes --extra site --extra engines \
		-c $(SITE_LOCK) -o $(ENGINES_LOCK) pyproject.toml

$(VENV)/.engines-installed: $(ENGINES_LOCK) $(VENV)/.site-installed
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r $(ENGINES_LOCK)
	touch $@

compare-engines: $(VENV)/.engines-installed ## Build the site with MkDocs and with ProperDocs; compare pages and ids
	$(BIN)/python scripts/compare_engines.py --config mkdocs.yml --engine mkdocs --other properdocs

clean: ## Remove the built site, caches and the virtual environment
	rm -rf site .cache .pytest_cache test-artifacts $(VENV)
