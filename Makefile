# The two commands of the README: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint typecheck check messages bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	mkdir -p var
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) sh scripts/run-demo.sh

# One worker per core; a module's tests stay together (its fixtures are built once).
PYTEST_ARGS ?= -n auto --dist loadscope
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy civicgrid config

check: lint typecheck
	$(BIN)/python manage.py makemigrations --check --dry-run

messages: $(STAMP)
	$(BIN)/python manage.py makemessages -l zh_Hans -l bo --ignore '.venv/*' --ignore 'var/*' --ignore 'static/vendor/*' --ignore 'bench/*' --no-obsolete
	$(BIN)/python manage.py compilemessages -l zh_Hans -l bo --ignore '.venv/*'

bench: $(STAMP)
	$(BIN)/python bench/grid_lookup.py

clean:
	rm -rf $(VENV) var/static
