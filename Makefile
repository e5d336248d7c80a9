# e-Province. Two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-only install install-dev browser lint typecheck check migrate demo serve-prod lock bench messages clean

$(VENV)/bin/python:
	@PYTHON=$$(scripts/find-python) && echo "Creating $(VENV) with $$PYTHON" && "$$PYTHON" -m venv $(VENV)
	@$(PIP) install --quiet --upgrade pip

# Runtime dependencies, from the lock file (hashes checked).
$(VENV)/.installed-base: requirements/base.txt | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes -r requirements/base.txt
	@touch $@

# Runtime plus test and lint tools.
$(VENV)/.installed-dev: requirements/dev.txt requirements/base.txt | $(VENV)/bin/python
	$(PIP) install --quiet --require-hashes -r requirements/dev.txt
	@touch $@ $(VENV)/.installed-base

install: $(VENV)/.installed-base
install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

# Installs, migrates the embedded SQLite database, loads the demo data and serves the platform, with the background
# worker (emails, national-portal outbox) beside it; the worker stops when the server does.
run: demo
	@echo ""
	@echo "  e-Province is served at http://$(HOST):$(PORT)/"
	@$(PY) manage.py demo_accounts
	@echo ""
	@$(PY) manage.py db_worker --queue-name='*' --no-reload & WORKER=$$!; \
	  trap 'kill $$WORKER 2>/dev/null; wait $$WORKER 2>/dev/null' EXIT INT TERM; \
	  $(PY) manage.py runserver $(HOST):$(PORT)

# Debian's Chromium drives the browser tests; installed when missing and we are root.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: install Debian's 'chromium' package (the browser tests need it)." >&2; exit 1; \
	  fi; \
	fi

# Installs what the tests need and runs the whole suite, browser tests included.
test: install-dev browser test-only

test-only:
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install-dev
	$(VENV)/bin/mypy

check: lint typecheck test

# Production-like server: gunicorn with the production settings (used by the benchmarks).
serve-prod: install
	DJANGO_SETTINGS_MODULE=eprovince.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=eprovince.settings.production $(VENV)/bin/gunicorn eprovince.wsgi -c deploy/gunicorn.conf.py

# Refreshes the English catalogue from the Vietnamese source strings and compiles it (needs GNU gettext).
messages: install-dev
	$(PY) manage.py makemessages -l en --no-obsolete --ignore=".venv/*" --ignore="var/*" --ignore="bench/*"
	$(PY) manage.py compilemessages -l en --ignore=".venv/*"

lock: | $(VENV)/bin/python
	$(PIP) install --quiet uv
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.12 requirements/base.in -o requirements/base.txt
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.12 requirements/dev.in -o requirements/dev.txt

bench: install-dev
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
