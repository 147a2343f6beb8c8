# a.m.o.o.r. — the two commands of the README, and a few more.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1

.PHONY: install install-test site test lint serve check links bench lock golden fonts clean

# Dependencies at exact versions, hashes checked: a publish next year builds with the same
# versions. No password or secret is ever set here: they come from the forge's secrets, or
# from the consultant's own shell.
# pip and setuptools come first, from their own hashed lock: the pip a venv brings may be
# older than the locks need (Debian 12's venv has pip 23, which cannot install an extra in
# hash mode); that setuptools then builds this package (no build isolation: nothing is
# fetched outside the hashes). The site needs requirements-site.lock only (what a publish
# installs); the tests add requirements.lock (the same versions, plus the test tools).
$(BIN)/amoor: pyproject.toml requirements-site.lock requirements-bootstrap.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements-bootstrap.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements-site.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.test-tools: $(BIN)/amoor requirements.lock
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

## Create .venv with the locked dependencies of the site (make install-test: and the tests')
install: $(BIN)/amoor
install-test: $(VENV)/.test-tools

## Build the public site and every dossier (with PDFs) into site/
site: $(BIN)/amoor
	$(BIN)/amoor build

## Lint, type-check, then run the whole test suite (unit, build, privacy, PDF, browser)
test: lint
	$(BIN)/python -m pytest

lint: $(VENV)/.test-tools
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
bench: $(VENV)/.test-tools
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python tests/benchmarks/bench_build.py --missions $(N)

## Regenerate the locks after a change of dependencies in pyproject.toml. Run it with the
## oldest Python the users have (make lock PYTHON=/usr/bin/python3 on Debian 12, 3.11.2):
## a release that needs a newer 3.11 would not install there.
lock: $(BIN)/amoor
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --no-emit-index-url \
	  --no-emit-find-links -o requirements-bootstrap.lock requirements-bootstrap.in
	$(BIN)/pip-compile --quiet --generate-hashes --extra test --extra zensical \
	  --strip-extras --no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-find-links --constraint requirements.lock -o requirements-site.lock pyproject.toml

## Cut the site's web fonts from the TTF files (French characters, renamed « Amoor Sans »)
fonts: $(BIN)/amoor
	$(BIN)/python -m generator.documents.webfonts overrides/assets/fonts

## Rewrite the golden Markdown snapshots after a deliberate change of a page
golden: $(VENV)/.test-tools
	$(BIN)/python -m pytest tests/test_golden.py --update-golden -q

clean:
	rm -rf site .cache build *.egg-info
