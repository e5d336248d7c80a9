# e-Province. Two commands on a fresh machine: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-only install install-dev browser redis lint typecheck check migrate demo serve-prod lock bench messages clean

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
# worker (emails, national-portal outbox) beside it, its routine lines in var/log/worker.log; the worker stops when
# the server does. The demo accounts and the address are printed last, once the server answers. PORT=8080 make run.
run: demo
	@if (exec 3<>/dev/tcp/$(HOST)/$(PORT)) 2>/dev/null; then \
	  echo "Port $(PORT) is already in use on $(HOST). Choose another one, for example: PORT=8080 make run" >&2; exit 1; \
	fi
	@mkdir -p var/log
	@$(PY) manage.py recover_jobs >>var/log/worker.log 2>&1
	@$(PY) manage.py db_worker --queue-name='*' --no-reload >>var/log/worker.log 2>&1 & WORKER=$$!; \
	  $(PY) manage.py runserver $(HOST):$(PORT) & SERVER=$$!; \
	  trap 'kill $$SERVER $$WORKER 2>/dev/null; wait $$SERVER $$WORKER 2>/dev/null' EXIT INT TERM; \
	  until (exec 3<>/dev/tcp/$(HOST)/$(PORT)) 2>/dev/null; do \
	    kill -0 $$SERVER 2>/dev/null || exit 1; sleep 0.2; \
	  done; \
	  echo ""; $(PY) manage.py demo_accounts; echo ""; \
	  echo "  Background worker log: var/log/worker.log. Another port: PORT=8080 make run. Stop: Ctrl+C."; \
	  echo "  e-Province is served at http://$(HOST):$(PORT)/"; echo ""; \
	  wait $$SERVER

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

# Debian's Redis shares the cache between application processes (REDIS_URL): the two-node test and the load
# benchmark need it; installed when missing and we are root. `.ci/run` starts it when none answers on 127.0.0.1:6379.
redis:
	@if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing Debian's redis-server for the two-node test"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
	  else \
	    echo "Redis is missing: install Debian's 'redis-server' package (the two-node test needs it)." >&2; exit 1; \
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
	$(PY) manage.py compilemessages -l en -l vi --ignore=".venv/*"

lock: | $(VENV)/bin/python
	$(PIP) install --quiet uv
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.12 requirements/base.in -o requirements/base.txt
	$(VENV)/bin/uv pip compile --quiet --generate-hashes --python-version 3.12 requirements/dev.in -o requirements/dev.txt

bench: install-dev
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) var
