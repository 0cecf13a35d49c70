# Lotse — every task. `make help` lists them.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
DEMO_ENV := LOTSE_DEMO=true

.DEFAULT_GOAL := help
.PHONY: help install demo serve test test-fast test-browser lint format typecheck migrations-check messages \
        messages-check check fuzz load screenshot bench bench-scale clean

help: ## List every task
	@grep -E '^[a-z-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "} {printf "  make %-18s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Lotse needs Python 3.11 or newer (found: $$($(PYTHON) --version))."; exit 1; }
	@$(PYTHON) -m venv $(VENV) || { echo "Cannot create a virtual environment. On Debian: apt-get install python3-venv"; exit 1; }
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed ## Install Lotse and its development tools into .venv

# Links in the demo's e-mails point to the address it serves on (make demo PORT=8101).
LOTSE_BASE_URL ?= http://$(HOST):$(PORT)

demo: install ## Install, migrate, load the demo, start a task worker and serve on http://127.0.0.1:8000
	$(DEMO_ENV) $(BIN)/lotse migrate --no-input
	$(DEMO_ENV) $(BIN)/lotse demo --if-empty
	@echo "\nLotse läuft auf http://$(HOST):$(PORT)/  (Beenden mit Strg+C)\n"
	@# The task worker runs beside the server (e-mails and other background work) and stops with it.
	$(DEMO_ENV) $(BIN)/lotse db_worker --interval 1 --verbosity 0 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(DEMO_ENV) LOTSE_BASE_URL=$(LOTSE_BASE_URL) $(BIN)/lotse runserver $(HOST):$(PORT)

serve: install ## Serve the production way (gunicorn); needs SECRET_KEY etc. in the environment
	$(BIN)/lotse migrate --no-input
	$(BIN)/lotse collectstatic --no-input
	$(BIN)/gunicorn lotse.wsgi --bind $(HOST):$(PORT) --workers 2

test: install ## Install and run the whole suite (browser tests too, if Debian's chromium is installed)
	$(BIN)/pytest

test-fast: install ## Run the suite without the browser tests
	$(BIN)/pytest -m "not browser"

test-browser: install ## Run only the browser tests (Playwright + axe on Debian's chromium)
	$(BIN)/pytest -m browser

lint: install ## ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

typecheck: install ## mypy with django-stubs
	$(BIN)/mypy lotse tests

migrations-check: install ## Fail if a model changed without a migration
	$(DEMO_ENV) $(BIN)/lotse makemigrations --check --dry-run

messages: install ## Extract translatable strings and compile the catalogue (needs gettext)
	cd lotse && $(DEMO_ENV) ../$(BIN)/lotse makemessages -l en --no-location --no-wrap
	cd lotse && $(DEMO_ENV) ../$(BIN)/lotse compilemessages

messages-check: messages ## Fail if a translatable string is missing from the catalogue
	@git diff --quiet -I '^"POT-Creation-Date' -- lotse/locale || \
		{ git diff -I '^"POT-Creation-Date' -- lotse/locale | head -40; echo "Run 'make messages' and translate."; exit 1; }

check: lint typecheck migrations-check messages-check ## Every static check CI runs

fuzz: install ## API contract (schemathesis), imports and forms (hypothesis) with 200 fresh random examples each
	LOTSE_FUZZ_RANDOM=1 LOTSE_FUZZ_EXAMPLES=200 $(BIN)/pytest tests/test_api_contract.py tests/test_fuzz.py

load: install ## 100 people for two minutes on gunicorn with the demo data (set DATABASE_URL for PostgreSQL)
	$(BIN)/python bench/load.py --users 100 --seconds 120

screenshot: install ## Update docs/screenshot.png from the demo (needs chromium and a running `make demo`)
	$(BIN)/python tools/screenshot.py http://$(HOST):$(PORT) docs/screenshot.png

bench: install ## Run the benchmarks (figures in docs/benchmarks.md)
	$(BIN)/python bench/portfolio.py

bench-synergy-quality: install ## Engine, char TF-IDF, e5 and their combination on the shared sets (docs/synergy.md)
	$(BIN)/python bench/synergy_quality.py

bench-scale: install ## State-wide data (lotse generate), key pages on gunicorn: PostgreSQL lotse_bench, or DB=sqlite
ifeq ($(DB),sqlite)
	env -u DATABASE_URL $(BIN)/python bench/scale.py
else
	psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS lotse_bench" -c "CREATE DATABASE lotse_bench"
	DATABASE_URL=postgres://postgres@127.0.0.1:5432/lotse_bench $(BIN)/python bench/scale.py
endif

clean: ## Delete the local database, uploads and collected static files
	rm -rf var
