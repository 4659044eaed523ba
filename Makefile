# gs1ld: the two commands a fresh machine needs are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
DEMO_OUT  ?= build/demo
DEMO_PORT ?= 8080
DEMO_BASE ?= http://127.0.0.1:$(DEMO_PORT)
DEMO_TODAY ?= 2026-06-01

.PHONY: demo demo-build test lint typecheck pytest docs bench clean help

help:
	@echo "make demo   - install into $(VENV), build the example catalog's resolver site and serve it"
	@echo "make demo-build - the same without serving"
	@echo "make test   - install with dev extras, then ruff, mypy --strict, pytest and mkdocs build --strict"
	@echo "make docs   - build the documentation into build/docs (mkdocs build --strict)"
	@echo "make bench  - run the benchmarks in benchmarks/"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: demo-build
	@echo "Open $(DEMO_BASE)/ (Ctrl-C stops the server)"
	$(BIN)/gs1ld serve $(DEMO_OUT)/site --port $(DEMO_PORT)

demo-build: $(STAMP)
	$(BIN)/gs1ld check examples/catalog
	$(BIN)/gs1ld convert examples/catalog -o $(DEMO_OUT)/jsonld --today $(DEMO_TODAY) --force
	$(BIN)/gs1ld site build examples/catalog -o $(DEMO_OUT)/site --base-url $(DEMO_BASE) --today $(DEMO_TODAY)

test: lint typecheck pytest docs

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy --strict src

pytest: $(STAMP)
	$(BIN)/pytest

# The docs build fails on a broken link, a missing page or an unresolved reference;
# NO_MKDOCS_2_WARNING quiets Material's notice about its successor.
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

bench: $(STAMP)
	@status=0; for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || status=1; done; exit $$status

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
