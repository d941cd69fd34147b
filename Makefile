# Developer entry points. Needs only GNU make and Python 3.11+ (`make PY=python3.12 ...` to pick one).
#   make run    the whole system locally (SQLite, a Redis it starts itself, demo data)
#   make test   the test suite

PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
PYTEST_ARGS ?=
# Where makemessages looks for strings: our apps, config/ and templates/, not vendored or generated trees.
MESSAGES_IGNORE := --ignore=.venv --ignore=staticfiles --ignore=media --ignore=tests \
	--ignore=bench --ignore=locale_vendor --ignore=.run --ignore=node_modules

.DEFAULT_GOAL := help

.PHONY: help install run test lint fmt lock messages clean bench

help:
	@echo "make run       start everything locally (SQLite + embedded Redis + worker + beat + web),"
	@echo "               seed demo users and print the URL and logins (honours DATABASE_URL, REDIS_URL, PORT)"
	@echo "make test      run the test suite (PYTEST_ARGS='-k foo' to narrow it)"
	@echo "make lint      ruff check + ruff format --check"
	@echo "make bench     run the benchmarks in bench/ (DATABASE_URL picks the database; prints numbers)"
	@echo "make fmt       ruff format + import sorting"
	@echo "make lock      regenerate requirements.lock from pyproject.toml (hashes, Python 3.11)"
	@echo "make messages  update locale/zh_Hans/LC_MESSAGES/django.po and compile all catalogues"
	@echo "make clean     remove runtime and test leftovers (.run/, test DB and media, caches)"

install: $(VENV)/.installed

# The interpreter: checked before the venv is made, and again for a venv left by an older Python.
$(PYTHON):
	@command -v $(PY) >/dev/null 2>&1 \
		|| { echo "error: '$(PY)' not found. Install Python 3.11+ or run e.g.: make PY=/path/to/python3.11 run" >&2; exit 1; }
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11 or newer is needed, but $(PY) is " + sys.version.split()[0] + ". Run e.g.: make PY=python3.11 run")'
	$(PY) -m venv $(VENV)

$(VENV)/.installed: requirements.lock | $(PYTHON)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "$(VENV) was made with Python " + sys.version.split()[0] + "; 3.11+ is needed. Remove $(VENV) and run make again (PY=python3.11 if needed).")'
	$(PYTHON) -m pip install --disable-pip-version-check --require-hashes -r requirements.lock
	@touch $@

run: install
	$(PYTHON) manage.py rundemo

test: install
	$(PYTHON) -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --select I --fix .

# Needs only the venv, not an install from the lock it is about to replace.
lock: | $(PYTHON)
	$(PYTHON) -m pip install --disable-pip-version-check uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

messages: install
	@command -v xgettext >/dev/null && command -v msgfmt >/dev/null \
		|| { echo "error: GNU gettext is needed (e.g. apt-get install gettext)" >&2; exit 1; }
	@mkdir -p locale
	$(PYTHON) manage.py makemessages -l zh_Hans $(MESSAGES_IGNORE)
	$(PYTHON) manage.py compilemessages -l zh_Hans --ignore=.venv --ignore=.git --ignore=node_modules

# Scripts only (bench/settings.py and bench/bareflow/ are support modules); lifecycle.py last,
# so its ratio is the last line of `make bench`.
BENCH_SCRIPTS = bench/sweep.py bench/scanner_quality.py $(wildcard bench/pages.py bench/workdays.py) \
	bench/reminders_drain.py bench/catalogue.py bench/load.py bench/lifecycle.py

bench: install
	@for script in $(BENCH_SCRIPTS); do echo "== $$script"; $(PYTHON) $$script || exit 1; done

clean:
	rm -rf .run .test-media .pytest_cache .ruff_cache .hypothesis test-artifacts
	rm -f .test-db.sqlite3 .test-db.sqlite3-*
