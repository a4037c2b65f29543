# The README's two set-up commands: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_DEV := $(VENV)/.installed-dev

.PHONY: demo test lint bench bench-small clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_DEV): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@ $(STAMP_RUN)

demo: $(STAMP_RUN)
	$(BIN)/screener demo

test: $(STAMP_DEV)
	$(BIN)/ruff check screener tests benchmarks sample_entries scripts
	$(BIN)/python -m pytest -q

lint: $(STAMP_DEV)
	$(BIN)/ruff check screener tests benchmarks sample_entries scripts
	$(BIN)/ruff format --check screener tests benchmarks sample_entries scripts
	$(BIN)/mypy screener

bench: $(STAMP_RUN)
	$(BIN)/python benchmarks/bench_pipeline.py --lines 1000000

clean:
	rm -rf $(VENV) screening.duckdb screening.duckdb.wal out .pytest_cache
