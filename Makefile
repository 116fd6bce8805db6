# JXC 进销存 — `make run` starts the system, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
JXC := $(BIN)/jxc
PYTEST := $(BIN)/pytest
NPM := npm --prefix frontend

# PostgreSQL for the second backend run: auto (run when reachable) | required | skip
JXC_TEST_POSTGRES ?= auto
JXC_TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/jxc
# jobs through Redis and a Celery worker, on the PostgreSQL run: auto | required | skip
JXC_TEST_REDIS ?= auto
JXC_TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
export JXC_TEST_REDIS
# pytest-xdist workers for each backend run (each worker has its own test database and Redis
# database); 0 runs the tests in the pytest process itself
JXC_TEST_WORKERS ?= 2
XDIST := $(if $(filter 0,$(JXC_TEST_WORKERS)),,-n $(JXC_TEST_WORKERS) --dist worksteal)
BACKEND_TESTS := $(PYTEST) -q -m "not e2e" --ignore=tests/e2e $(XDIST)
# browser tests: auto (run when Chromium exists) | required | skip
JXC_E2E ?= auto
export JXC_E2E

.PHONY: help install build run migrate demo serve test lint test-backend test-postgres \
        test-frontend test-e2e bench clean

help:
	@echo "make run    start JXC on http://127.0.0.1:8000/ (SQLite under var/, demo data)"
	@echo "make test   lint, import contracts, backend tests (SQLite, then PostgreSQL),"
	@echo "            frontend type check and unit tests, browser tests"
	@echo "make bench  benchmarks (figures printed, never pass/fail)"

# --- set-up ----------------------------------------------------------------------------------
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	$(NPM) ci --no-audit --no-fund --loglevel=error
	touch $@

FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/public \
                      frontend/vite.config.ts -type f 2>/dev/null)
frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SOURCES)
	$(NPM) run build --silent

MO_FILES := $(patsubst %.po,%.mo,$(wildcard jxc/locale/*/LC_MESSAGES/django.po))
jxc/locale/%/LC_MESSAGES/django.mo: jxc/locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(JXC) compilemessages --ignore=.venv --ignore=frontend -v0

install: $(VENV)/.installed frontend/node_modules/.installed

build: install frontend/dist/index.html $(MO_FILES)

migrate: build
	$(JXC) migrate --no-input -v0

# Demo data is loaded once: a second `make run` keeps what the user entered or deleted.
var/.demo-loaded:
	$(JXC) demo
	touch $@

demo: migrate var/.demo-loaded

run: demo
	$(JXC) serve

serve: build
	$(JXC) serve

# --- tests -----------------------------------------------------------------------------------
test: build lint test-backend test-postgres test-frontend test-e2e
	@echo "make test: all steps passed"

lint: build
	$(BIN)/ruff check jxc tests bench
	$(BIN)/ruff format --check jxc tests bench
	$(BIN)/lint-imports

test-backend: build
	@echo "== backend tests on SQLite =="
	export DATABASE_URL=sqlite:///$(CURDIR)/var/test.sqlite3; \
	  $(BACKEND_TESTS) || { echo "FAILED: backend tests on SQLite"; exit 1; }

test-postgres: build
	@echo "== backend tests on PostgreSQL ($(JXC_TEST_POSTGRES)) =="
	@if [ "$(JXC_TEST_POSTGRES)" = skip ]; then \
	  echo "SKIPPED: PostgreSQL tests (JXC_TEST_POSTGRES=skip)"; \
	elif $(BIN)/python -m jxc.core.dbcheck "$(JXC_TEST_POSTGRES_URL)"; then \
	  redis=""; \
	  if [ "$(JXC_TEST_REDIS)" != skip ] && $(BIN)/python -m jxc.core.redischeck "$(JXC_TEST_REDIS_URL)"; then \
	    redis="$(JXC_TEST_REDIS_URL)"; \
	  else \
	    echo "(no Redis at $(JXC_TEST_REDIS_URL): the Celery job test reports it)"; \
	  fi; \
	  export REDIS_URL=$$redis DATABASE_URL=$(JXC_TEST_POSTGRES_URL); \
	  $(BACKEND_TESTS) || { echo "FAILED: backend tests on PostgreSQL"; exit 1; }; \
	elif [ "$(JXC_TEST_POSTGRES)" = required ]; then \
	  echo "FAILED: PostgreSQL is required but not reachable at $(JXC_TEST_POSTGRES_URL)"; exit 1; \
	else \
	  echo "SKIPPED: PostgreSQL tests: no server at $(JXC_TEST_POSTGRES_URL)"; \
	  echo "         (start one, or set JXC_TEST_POSTGRES_URL; CI makes them mandatory)"; \
	fi

test-frontend: build
	@echo "== frontend type check and unit tests =="
	$(NPM) run typecheck --silent
	$(NPM) run test --silent

test-e2e: build
	@echo "== browser tests ($(JXC_E2E)) =="
	$(PYTEST) -q tests/e2e || { echo "FAILED: browser tests"; exit 1; }

# --- benchmarks ------------------------------------------------------------------------------
bench: build
	$(BIN)/python -m bench.run

clean:
	rm -rf frontend/dist test-output var/test.sqlite3
