# Two commands set everything up on a fresh machine with Python 3.11 and make:
#   make run    the product with demo data on http://127.0.0.1:8000
#   make test   the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint format migrate demo clean production-local loadtest screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements.txt requirements-dev.txt
	scripts/system-packages
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_demo

PORT ?= 8000
run: demo
	@echo "部门预算编制系统: http://127.0.0.1:$(PORT)/  (Ctrl-C 停止)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production set-up rehearsed on this machine (docs/deployment.md): PostgreSQL, gunicorn, a db_worker.
production-local: $(STAMP)
	scripts/production-local

# The load test of docs/performance.md: 50 users for 60 s against production-local's set-up.
loadtest: $(STAMP)
	scripts/loadtest

# One worker per core (pytest-xdist); a module's tests stay on one worker, so module fixtures are built once.
test: $(STAMP)
	@scripts/system-packages
	$(BIN)/python -m pytest -n auto --dist loadscope $(PYTEST_ARGS)

# The screenshots docs/ shows, taken anew by the browser tests (a plain test run keeps its own in var/).
screenshots: $(STAMP)
	@scripts/system-packages
	SCREENSHOTS_DIR=docs/screenshots $(BIN)/python -m pytest -m browser -n 0

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .hypothesis .import_linter_cache .mypy_cache
