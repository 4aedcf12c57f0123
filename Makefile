# The two commands: `make run` (set up and start the dashboard) and `make test` (set up and run the tests).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test system-deps screenshots bench export static provinces clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.runtime-installed $@

run: $(VENV)/.runtime-installed static
	@bash scripts/install-system-deps.sh || echo "Note: without chromium the server-side image downloads are off; the chart camera buttons still work."
	$(BIN)/python scripts/serve.py --server.port $(PORT)

system-deps:
	bash scripts/install-system-deps.sh

test: system-deps $(VENV)/.dev-installed
	$(BIN)/python -m pytest

screenshots: system-deps $(VENV)/.dev-installed
	$(BIN)/python scripts/screenshots.py --out docs/screenshots

bench: system-deps $(VENV)/.dev-installed
	$(BIN)/python bench/run_benchmarks.py --out bench/results.md

export: $(VENV)/.runtime-installed
	$(BIN)/python -m china_bigscience export --format png --out charts/

provinces: | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-build.txt
	$(BIN)/python scripts/build_province_boundaries.py
	$(MAKE) static

# The files Streamlit serves from static/, built from data/ (the app only reads them).
static: $(VENV)/.runtime-installed
	$(BIN)/python scripts/write_static_files.py

clean:
	rm -rf $(VENV) .pytest_cache
