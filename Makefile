# a.m.o.o.r. — the two commands of the README, and a few more.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: install site test lint serve check links bench lock golden clean

# Dependencies from requirements.lock (exact versions, hashes checked): a publish next
# year builds with the same versions. No password or secret is ever set here: they come
# from the forge's secrets, or from the consultant's own shell.
$(BIN)/amoor: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

## Create .venv with the locked dependencies
install: $(BIN)/amoor

## Build the public site and every dossier (with PDFs) into site/
site: $(BIN)/amoor
	$(BIN)/amoor build

## Lint, type-check, then run the whole test suite (unit, build, privacy, PDF, browser)
test: lint
	$(BIN)/python -m pytest

lint: $(BIN)/amoor
	$(BIN)/ruff check generator tests
	$(BIN)/mypy
	$(BIN)/lint-imports

## Live preview of the public site and the dossiers
serve: $(BIN)/amoor
	$(BIN)/amoor serve

check: $(BIN)/amoor
	$(BIN)/amoor check

links: $(BIN)/amoor
	$(BIN)/amoor links

## Benchmark: N synthetic missions (make bench N=43)
N ?= 43
bench: $(BIN)/amoor
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python tests/benchmarks/bench_build.py --missions $(N)

## Regenerate requirements.lock after a change of dependencies in pyproject.toml
lock: $(BIN)/amoor
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --extra test --extra zensical \
	  --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

## Rewrite the golden Markdown snapshots after a deliberate change of a page
golden: $(BIN)/amoor
	$(BIN)/python -m pytest tests/test_golden.py --update-golden -q

clean:
	rm -rf site .cache build *.egg-info
