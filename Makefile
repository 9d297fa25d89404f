# Likvärd: every developer command. `make demo` and `make test` are the two that matter.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
ASSETS := src/likvard/web/static_build/.built
MESSAGES := src/likvard/locale/sv/LC_MESSAGES/django.mo
export DJANGO_SETTINGS_MODULE ?= likvard.settings.dev
# One BLAS thread per process (why: src/likvard/__init__.py), for bench/ and tools too.
export OPENBLAS_NUM_THREADS ?= 1

.PHONY: help setup demo test test-core test-app test-browser lint bench docs system-deps messages clean

help: ## List the commands
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(INSTALLED): pyproject.toml requirements.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv
	$(BIN)/uv pip install --quiet --python $(PY) -r requirements.lock
	$(BIN)/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(ASSETS): node_modules/.installed scripts/build_assets.sh
	bash scripts/build_assets.sh
	touch $@

# What `django-admin compilemessages -l sv` runs for each catalogue, without starting Django
# (6 CPU seconds of a clean clone's setup; msgfmt alone takes a tenth of a second).
$(MESSAGES): $(wildcard src/likvard/locale/sv/LC_MESSAGES/*.po src/likvard/*/locale/sv/LC_MESSAGES/*.po src/likvard/*/*/locale/sv/LC_MESSAGES/*.po)
	find src/likvard -path '*/locale/sv/LC_MESSAGES/*.po' | while read -r po; do \
	  msgfmt --check-format -o "$${po%.po}.mo" "$$po" || exit 1; done

setup: $(INSTALLED) $(ASSETS) $(MESSAGES) ## Create .venv, install packages and front-end assets

system-deps: ## Install Debian packages the suite needs (PostgreSQL, Chromium, Tesseract) if missing
	bash scripts/system_deps.sh

# The demo reads the scanned notes (Tesseract), checks their words (Hunspell) and renders PDFs
# (Pango): on a fresh machine those Debian packages come first, as for the suite.
demo: system-deps setup ## Set up the demo region and serve it on http://127.0.0.1:8000
	$(BIN)/likvard demo
	$(BIN)/likvard serve --host 127.0.0.1 --port 8000

# The Debian packages first (compiling the messages needs gettext), then the Python and the npm
# packages side by side (npm ci takes 10-20 s of the minute that setup takes on a clean clone).
test: system-deps ## Run the whole suite: lint, core, app on SQLite and PostgreSQL, browser
	$(MAKE) --no-print-directory --jobs=2 setup
	bash scripts/run_tests.sh

test-core: setup ## Core tests only (no Django)
	$(BIN)/pytest tests/core -p no:django -q

lint: setup ## ruff, formatting, import contracts, type checks
	bash scripts/lint.sh

bench: setup ## Benchmarks at national scale (see BENCHMARKS.md)
	$(PY) -m bench.run

messages: setup ## Refresh the Swedish message catalogue after adding UI strings
	cd src/likvard && ../../$(BIN)/django-admin makemessages --settings=likvard.settings.dev -l sv --no-obsolete --no-location --ignore='networks/*' --ignore='analyses/*' --ignore='quality/*' --ignore='knowledge/*' --ignore='access/*' --ignore='opendata/*' --ignore='exports/*'
	$(PY) scripts/translations_sv.py
	$(PY) scripts/cli_messages_sv.py

clean: ## Remove the virtual environment, assets and local data
	rm -rf $(VENV) node_modules src/likvard/web/static_build var
