# Two commands for a fresh clone:
#   make demo   set up .venv, ingest the bundled sample reports into newsledger.duckdb, print the timeline
#   make test   set up .venv with the test extras and run the test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= newsledger.duckdb

.PHONY: demo test setup setup-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

setup: $(BIN)/python
	$(BIN)/pip install --quiet -e .

setup-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	sh scripts/install_browser.sh

demo: setup
	$(BIN)/newsledger ingest samples/*.txt --metadata samples/metadata.tsv --db $(DB)
	$(BIN)/newsledger events --db $(DB)

test: setup-test
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache $(DB)
