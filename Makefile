# The front door: `make dev` and `make test`. Everything they need is installed from this project's files.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCALE_DIR := app/locale
CATALOGUES := $(wildcard $(LOCALE_DIR)/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)
CHROMIUM := /usr/bin/chromium

.PHONY: help install dev test test-unit lint bench soak search-quality reindex reconcile admin migration i18n-extract i18n-update i18n-compile vendor icons chromium clean

help:
	@echo "make dev      install what is needed, start embedded PostgreSQL + Meilisearch, migrate, load demo data, serve on http://127.0.0.1:8000"
	@echo "make test     install what is needed (Chromium too) and run every test, browser tests included"
	@echo "make test-unit   run only tests/unit: no database, search or browser started, a few seconds"
	@echo "make admin EMAIL=you@example.org   make that person a platform admin"
	@echo "make reconcile   ask Stripe about card pledges pending over an hour and settle them"
	@echo "make bench    measure speed on the embedded setup; prints figures and writes var/bench.json"
	@echo "make soak     10 minutes of mixed traffic at 50 clients: per-route p95, errors, memory growth (var/soak.json; SOAK_SECONDS=60 for a quick look)"
	@echo "make search-quality   search_recall_at_5 of the judged queries (search/judgements.csv) on the demo data"
	@echo "make icons    redraw the app's PNG icons (static/img/icon-*.png) from static/img/icon.svg with Chromium"
	@echo "make i18n-extract / i18n-update / i18n-compile   gettext catalogues (en, cy)"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
		{ echo "Python 3.11 or newer is needed as '$(PYTHON)'; install it or run make PYTHON=python3.12 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || \
		{ echo "npm is needed to install Meilisearch, axe-core and Lighthouse: install Node.js 18+ with npm." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(LOCALE_DIR)/%/LC_MESSAGES/messages.mo: $(LOCALE_DIR)/%/LC_MESSAGES/messages.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

install: $(VENV)/.installed node_modules/.installed $(COMPILED)

dev: install
	APP_ENV=dev $(BIN)/python -m app dev

# Browser tests drive Debian's Chromium; as root we install it, otherwise we say what to install.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "Browser tests need Chromium at $(CHROMIUM): install it (Debian/Ubuntu: sudo apt-get install chromium)." >&2; exit 1; \
		fi; \
	fi

lint: install
	$(BIN)/ruff check app search tests bench
	$(BIN)/ruff format --check app search tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# pytest exits 5 when it ran no test; make treats any non-zero exit as a failure, so that fails too.
# Two workers (pytest-xdist), each with its own PostgreSQL and Meilisearch; a file's tests stay on one worker.
test: install chromium lint
	$(BIN)/pytest -n 2 --dist loadfile

# Only tests/unit: no PostgreSQL, Meilisearch or browser is started (tests/conftest.py sees only unit paths).
test-unit: install
	$(BIN)/pytest tests/unit

# Rebuild the search index from the database into a fresh index and swap it in (no gap in search).
reindex: install
	APP_ENV=$${APP_ENV:-dev} $(BIN)/python -m app reindex

# The first platform admin (embedded database unless DATABASE_URL is set): make admin EMAIL=you@example.org
reconcile: install
	APP_ENV=$${APP_ENV:-dev} $(BIN)/python -m app reconcile

admin: install
	@test -n "$(EMAIL)" || { echo 'Say who: make admin EMAIL=you@example.org' >&2; exit 1; }
	APP_ENV=$${APP_ENV:-dev} $(BIN)/python -m app admin '$(EMAIL)'

bench: install
	$(BIN)/python -m bench $(PARTS)

# Mixed traffic at 50 clients against the app and worker served as in production (bench/soak.py); SOAK_SECONDS and
# SOAK_CLIENTS shorten or change it. Fails if any request failed.
soak: install
	$(BIN)/python -m bench.soak

# The judged queries of search/judgements.csv against the demo data, as the search page runs them: the figure
# (also part of `make bench`) and every query that fell short, with what came back.
search-quality: install
	$(BIN)/python -m bench.search_quality

# A new migration from the changes to the tables: make migration DESC="add offer.capacity"
migration: install
	@test -n "$(DESC)" || { echo 'Say what it does: make migration DESC="..."' >&2; exit 1; }
	PICCOLO_CONF=app.piccolo_conf $(BIN)/piccolo migrations new app --auto --desc='$(DESC)'

i18n-extract: install
	$(BIN)/pybabel extract -F babel.cfg -k N_ --no-location --sort-output --project=cyfle --ignore-dirs=".* node_modules var" -o $(LOCALE_DIR)/messages.pot .

i18n-update: i18n-extract
	$(BIN)/pybabel update -i $(LOCALE_DIR)/messages.pot -d $(LOCALE_DIR) --no-fuzzy-matching

i18n-compile: install
	$(BIN)/pybabel compile --statistics -d $(LOCALE_DIR)

# htmx is vendored (committed) under static/; this refreshes it from the version pinned in package.json.
vendor: node_modules/.installed
	cp node_modules/htmx.org/dist/htmx.min.js static/vendor/htmx.min.js

# The PNG icons of the web app manifest are committed; this redraws them from static/img/icon.svg (app/dev/icons.py).
icons: install chromium
	$(BIN)/python -m app.dev.icons

clean:
	rm -rf $(VENV) node_modules var .pytest_cache .mypy_cache .ruff_cache
