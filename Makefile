# Every target sets up what it needs on a fresh Debian machine with Python 3.11:
# a virtualenv in .venv for Python packages, apt-get for the few system packages.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# fonts-noto-cjk: CJK glyphs for PDFs; poppler-utils: pdftoppm/pdffonts for checking PDFs;
# chromium: the browser the acceptance tests drive; git: versions and 修订记录 come from the history. (Org charts use our own layout, no Graphviz.)
# nodejs: the tests run the site's own search scripts in node (tests/search_offline.py).
DEB_PACKAGES := fonts-noto-cjk poppler-utils chromium git nodejs libreoffice-calc libreoffice-writer
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test serve clean bench bench-5000 corpus lint system-deps venv

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

system-deps:
	@missing=""; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## build: validate roles/, generate pages, build site/ (and PDFs)
build: $(STAMP) system-deps
	$(BIN)/handbook build

## test: lint, type-check and run the whole test suite on both cores; property tests with fresh random inputs
# One file per worker (--dist loadfile), so each file's shared fixtures (a built site, the PDFs) are made once.
# The random profile here (plain `pytest` keeps the fixed seed): one run, not a second pass over the same tests.
test: $(STAMP) system-deps lint
	$(BIN)/pytest -n 2 --dist loadfile --hypothesis-profile=random

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/mypy  # generator and tests (pyproject.toml)

## serve: live preview on http://127.0.0.1:8000, regenerating on every save
serve: $(STAMP) system-deps
	$(BIN)/handbook serve

## bench: side-by-side timings (see docs/BENCHMARKS.md)
bench: $(STAMP) system-deps
	$(BIN)/python -m tests.bench

## bench-5000: both engines' full builds, floors, peak memory and PDFs at 5,000 roles (not in `make test` or `make bench`)
bench-5000: $(STAMP) system-deps
	$(BIN)/python -m tests.bench_engines --sizes 5000

## corpus: precision of validate's messages over tests/broken/ (precise/total)
corpus: $(STAMP)
	$(BIN)/python -m tests.corpus

clean:
	rm -rf site handbook/generated .site-staging-* .site-preview-* .cache .zensical-*.yml .pytest_cache .mypy_cache .ruff_cache test-output
