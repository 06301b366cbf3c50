# The two Quick start commands of the README. Both create ./.venv and install from the hashed lock file.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= parallax.db

.PHONY: demo test install install-test clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .

install-test: install

# Ingest the sample corpus, print the briefing of its largest story, write it as HTML.
demo: install
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/parallax --db $(DB) ingest examples/corpus --pack examples/pack
	$(BIN)/parallax --db $(DB) brief --html briefing.html

test: install-test
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm briefing.html
