# Two commands do all the set-up: `make run` and `make test` (see README.md).
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
# Embedded mode is a development set-up; production sets DEBUG=0 and SECRET_KEY.
export DEBUG ?= 1

.PHONY: run test lint format install system-deps test-system-deps migrate demo worker beat clean fuzz

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

system-deps:
	@bash scripts/system-deps.sh

# The suite also drives a browser (tests/test_browser_csp.py).
test-system-deps:
	@bash scripts/system-deps.sh --browser

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py setup_demo

run: install system-deps demo
	@PY=$(PY) CELERY=$(VENV)/bin/celery bash scripts/run-embedded.sh

test: install test-system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

# schemathesis against a live server on PostgreSQL (a dedicated database, recreated each time),
# anonymous, as a member and as staff; see scripts/fuzz.py.
FUZZ_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/pacte_fuzz
fuzz: install system-deps
	FUZZ_DATABASE_URL=$(FUZZ_DATABASE_URL) $(PY) scripts/fuzz.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var/ .pytest_cache
