# a.m.o.o.r. — the two commands of the README, and a few more.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
# Demo password of the example protected dossier (missions/cc-haut-vernillon-mobilites).
# Real dossiers take their passwords from the CI secrets, never from this file.
export AMOOR_MDP_VERNILLON ?= vernillon-demo

.PHONY: site test serve check links bench clean

$(BIN)/amoor: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $@

## Build the public site and every dossier (with PDFs) into site/
site: $(BIN)/amoor
	$(BIN)/amoor build

## Run the whole test suite (unit, build, privacy, PDF, browser)
test: $(BIN)/amoor
	$(BIN)/python -m pytest

## Live preview of the public site and the dossiers
serve: $(BIN)/amoor
	$(BIN)/amoor serve

check: $(BIN)/amoor
	$(BIN)/amoor check

links: $(BIN)/amoor
	$(BIN)/amoor links

## Benchmark: N synthetic missions (make bench N=100)
N ?= 100
bench: $(BIN)/amoor
	$(BIN)/python tests/benchmarks/bench_build.py --missions $(N)

clean:
	rm -rf site .cache build *.egg-info
