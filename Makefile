# Two commands: `make run` and `make test`. Everything else is a step they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# make's own commands run the development settings (a random key kept in instance/); a server sets its own.
export APP_ENV ?= development

.PHONY: run test lint pytest db demo system-test-deps clean translations extract-messages

# gunicorn.conf.py is production's too: preloaded caches, gthread workers, JSON access log.
run: $(VENV)/.installed translations db demo
	$(BIN)/gunicorn -c gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app

db: $(VENV)/.installed
	$(FLASK) db upgrade

# Loads the demo into an empty database; moves an aged demo schedule to today's dates.
demo: $(VENV)/.installed
	$(FLASK) demo load

test: $(VENV)/.test-installed system-test-deps node_modules/.package-lock.json translations lint pytest

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The suite on SQLite; again on PostgreSQL when TEST_DATABASE_URL is set (.ci/run sets it).
pytest: $(VENV)/.test-installed translations
	$(BIN)/python -m pytest
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "--- the suite again on PostgreSQL ---"; \
		$(BIN)/python -m pytest -m "not browser"; \
	fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements.txt requirements-test.txt | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $(VENV)/.installed $@

# Browser tests drive Debian's Chromium; Playwright never downloads a browser of its own.
system-test-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	fi

# Compiled catalogs (.mo) are built from the .po files, never committed.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard app/translations/*/LC_MESSAGES/messages.po))
translations: $(MO_FILES)

app/translations/%/LC_MESSAGES/messages.mo: app/translations/%/LC_MESSAGES/messages.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -l $* -i $< -o $@

# Re-extract every string of the app into the template and merge it into the four catalogs.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l --add-location=file --sort-by-file \
		--project "Karstas vanduo" -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

# axe-core for the accessibility checks in the browser tests (package.json pins it).
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

clean:
	rm -rf $(VENV) instance/*.sqlite .pytest_cache .ruff_cache
