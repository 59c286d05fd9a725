# Two commands do everything (see README.md):
#   make demo   crawl the bundled sample site into archive/recaps.db and serve it with Datasette
#   make test   install with test extras and run the whole suite (lint included)
PYTHON ?= python3
VENV ?= .venv
BIN = $(VENV)/bin

.PHONY: demo test test-fast install install-test lint format bench score clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test,distributed]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

demo: install
	$(BIN)/recapcrawl demo --db archive/recaps.db --port 8001

test: install-test lint
	$(BIN)/python -m pytest

# The quick subset: no loopback crawls, browser or fault suite (about a minute).
test-fast: install-test lint
	$(BIN)/python -m pytest -m "not integration and not browser and not faults and not shared"

lint: install-test
	$(BIN)/ruff check recapcrawl tests archive bench tools
	$(BIN)/ruff format --check recapcrawl tests archive bench tools
	$(BIN)/mypy

format: install-test
	$(BIN)/ruff format recapcrawl tests archive bench tools

# Every benchmark in bench/ (about 15 minutes); prints `bench NAME: VALUE (goal GOAL)` lines.
bench: install-test
	$(BIN)/python bench/run_all.py

# Score a crawl of the recorded WordPress site in ../shared (when it is there).
score: install
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python ../shared/eval/score_recaps.py ../shared/sites/wordpress-dev

clean:
	rm -rf $(VENV) archive/recaps.db archive/recaps.db-wal archive/recaps.db-shm .pytest_cache .ruff_cache
