# Everyday commands. `make run` and `make test` are the two set-up commands in the README.
PYTHON ?= python3.11
VENV ?= .venv
BIN = $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
TEST_POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: install install-test run serve migrate seed test test-sqlite test-postgres browser check bench eval

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e .
	touch $@

$(BIN)/.installed-test: $(BIN)/.installed
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/.installed

install-test: $(BIN)/.installed-test browser

run: install migrate seed serve

serve: install
	$(BIN)/axmatch serve --host $(HOST) --port $(PORT)

migrate: install
	$(BIN)/axmatch migrate

seed: install
	$(BIN)/axmatch seed

browser:
	@test -x /usr/bin/chromium -a -d /usr/share/fonts/opentype/noto || (apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk)

test: install-test test-sqlite test-postgres

test-sqlite:
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-postgres:
	@if $(BIN)/python -c "import sys,psycopg; psycopg.connect(sys.argv[1].replace('+psycopg',''), connect_timeout=3).close()" "$(TEST_POSTGRES_URL)" 2>/dev/null; then \
		DATABASE_URL="$(TEST_POSTGRES_URL)" $(BIN)/python -m pytest $(PYTEST_ARGS); \
	elif [ -n "$$AXMATCH_REQUIRE_POSTGRES" ]; then \
		echo "PostgreSQL at $(TEST_POSTGRES_URL) is not reachable" >&2; exit 1; \
	else \
		echo "PostgreSQL not reachable at $(TEST_POSTGRES_URL): skipped the PostgreSQL run"; \
	fi

# Every labelled set (seed/eval/* and shared/eval/*): one JSON line each, then fit-level
# thresholds derived from all of them.
eval: install
	$(BIN)/axmatch eval --all --derive-levels

check: install-test
	$(BIN)/ruff check app matching seed tests migrations
	$(BIN)/ruff format --check app matching seed tests migrations
	$(BIN)/mypy --strict matching
