# novu_async developer tasks. On a fresh machine (Python 3.10+, Node.js): `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
INSTALLED := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help setup wheelhouse spec generate docs docs-site lint test test-reliability demo bench dist clean

help:
	@echo "make setup     virtualenv in $(VENV) with the package (editable) and its dev tools;"
	@echo "               node_modules/ with the Prism mock server and pyright for the tests (npm ci);"
	@echo "               the runtime dependencies as wheels in $(WHEELHOUSE) (for tests/packaging)"
	@echo "make spec      copy the pinned OpenAPI documents into openapi/upstream/ and verify sha256"
	@echo "make generate  spec, then render the generated packages (novu_async/models, ...)"
	@echo "make docs      spec, then the markdown reference into docs/reference/: the operations and models"
	@echo "               of each package, and the hand-written API (client, errors, bulk, sync, FakeNovu, CLI)"
	@echo "make docs-site docs, then docs/ as HTML pages in docs/site/ (open docs/site/reference/index.html)"
	@echo "make lint      ruff check, ruff format --check, mypy --strict, generated code included"
	@echo "make test      everything above, then the whole test suite"
	@echo "make test-reliability  the large fault-injection runs (100,000 events on trio and uvloop too)"
	@echo "make demo      FakeNovu on loopback: subscribers, triggers, then 100,000 events with trigger_many"
	@echo "make bench     the benchmarks in benchmarks/ (ratios against baselines measured in the same run)"
	@echo "make dist      the sdist and the wheel, built as a release is, into dist/; twine check"
	@echo "make clean     remove build products (keeps $(VENV))"

$(INSTALLED): pyproject.toml
	test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

# Prism (tests/contract) and pyright (tests/typing): npm ci from the committed lock file into the
# project-local, git-ignored node_modules/. The stamp is touched after a successful install, so this
# runs once per lock change.
NODE_INSTALLED := node_modules/.installed

$(NODE_INSTALLED): package.json $(wildcard package-lock.json)
	if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
	test -x node_modules/.bin/prism
	test -x node_modules/.bin/pyright
	touch $@

# tests/packaging installs the built wheel into fresh venvs without the network: their dependencies
# come from here (pip download, once per supported interpreter found; again when pyproject.toml changes)
WHEELHOUSE := $(VENV)/wheelhouse
WHEELHOUSE_FILLED := $(WHEELHOUSE)/.filled

$(WHEELHOUSE_FILLED): pyproject.toml $(INSTALLED)
	$(PYTHON) tests/packaging/wheelhouse.py $(WHEELHOUSE)
	touch $@

wheelhouse: $(WHEELHOUSE_FILLED)

setup: $(INSTALLED) $(NODE_INSTALLED) $(WHEELHOUSE_FILLED)

spec: $(INSTALLED)
	$(PYTHON) -m codegen spec

generate: $(INSTALLED)
	$(PYTHON) -m codegen generate

# docs/reference/: the operations and models from the OpenAPI documents (codegen, which never imports
# novu_async) and, in parallel, the hand-written API from its docstrings (refdocs, which imports it, so
# it needs the generated code: made once when missing, else whatever `make generate` last wrote)
GENERATED_MARK := novu_async/models/__init__.py

$(GENERATED_MARK): | $(INSTALLED)
	$(MAKE) generate

docs: $(INSTALLED) | $(GENERATED_MARK)
	$(PYTHON) -m codegen docs & codegen=$$!; $(PYTHON) -m refdocs; refdocs=$$?; wait $$codegen && exit $$refdocs

# the same pages as HTML, for a browser: docs/site/ (markdown-it-py, the renderer the tests use)
docs-site: docs
	$(PYTHON) -m refdocs.site

lint: generate
	$(BIN)/ruff check --no-respect-gitignore .
	$(BIN)/ruff format --check --no-respect-gitignore .
	$(BIN)/mypy

test: lint $(NODE_INSTALLED) $(WHEELHOUSE_FILLED)
	$(BIN)/pytest

# make test runs the 100,000-event fault run on asyncio; these are the same runs on trio and uvloop
test-reliability: generate
	NOVU_RELIABILITY_LARGE=1 $(BIN)/pytest -m reliability_large tests/reliability

# the README's first command: needs Python only (no Node.js), and no network beyond 127.0.0.1
demo: generate
	$(PYTHON) examples/demo.py

# novu-py (a side of every benchmark) and orjson (the extra's figures) in this venv, once per pyproject change
BENCH_INSTALLED := $(VENV)/.bench-installed

$(BENCH_INSTALLED): pyproject.toml $(INSTALLED)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -e '.[dev,bench,orjson]'
	touch $@

bench: generate $(BENCH_INSTALLED)
	$(PYTHON) benchmarks/import_time.py
	$(PYTHON) benchmarks/parse.py
	$(PYTHON) benchmarks/per_call.py
	$(PYTHON) benchmarks/throughput.py
	$(PYTHON) benchmarks/http2.py

# a release build: isolated build environments from the package index ([build-system] requires), the
# sdist first, then the wheel from the unpacked sdist (python -m build's default)
dist: $(INSTALLED)
	rm -rf dist
	$(PYTHON) -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

clean:
	rm -rf openapi/upstream novu_async/models novu_async/funcs novu_async/resources novu_async/dicts \
		novu_async/sync_resources novu_async/legacy/models novu_async/legacy/funcs novu_async/legacy/resources \
		novu_async/legacy/dicts novu_async/legacy/sync_resources novu_async/_status_errors.py \
		docs/reference docs/site build dist
