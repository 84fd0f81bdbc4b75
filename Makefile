# One command to run the demo, one to test. Each does its own set-up on a fresh Debian or
# Ubuntu machine: a virtual environment in .venv, system packages when run as root.

SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

# gettext compiles the translations; pango and harfbuzz serve WeasyPrint; poppler-utils lets
# the tests read PDFs back (zbar-tools decodes their QR codes); chromium runs the browser journeys (Playwright drives Debian's
# build); fonts-wqy-microhei shows Chinese in its screenshots. PDFs embed the project's own font.
# wrk loads gunicorn on loopback in make bench.
SYSTEM_PACKAGES := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	poppler-utils zbar-tools chromium fonts-wqy-microhei wrk

.PHONY: run test lint bench messages makemessages system-deps clean

run: $(BIN)/.installed system-deps messages
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (demo accounts: see README.md)"
	@# The background worker (the campaign's consent packet) runs beside the web server.
	$(MANAGE) db_worker --no-reload & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT; \
		$(MANAGE) runserver 127.0.0.1:$(PORT)

test: $(BIN)/.installed system-deps messages
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(MANAGE) makemigrations --check --dry-run
	DJANGO_ENV=production SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" \
		ALLOWED_HOSTS=portal.example $(MANAGE) check --deploy --fail-level WARNING

# In-process timings on SQLite, then the load benchmark: gunicorn on PostgreSQL under wrk, next
# to a baseline view, written to docs/performance.md (BENCH_HOUSEHOLDS=200000 by default; see
# benchmarks/load/__main__.py for the other BENCH_* settings). Skipped if PostgreSQL is down.
bench: $(BIN)/.installed system-deps messages
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.packet
	$(BIN)/python -m benchmarks.load

messages: $(BIN)/.installed
	$(MANAGE) compilemessages --ignore=$(VENV) -v0

makemessages: $(BIN)/.installed
	$(MANAGE) makemessages -l en --ignore=$(VENV) --no-obsolete

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
		print("\n".join(p["dependencies"] + p["optional-dependencies"]["dev"]))' > $(VENV)/requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt
	touch $@

system-deps:
	@missing=""; \
	for package in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "ok installed" \
			|| missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing system packages:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
				apt-get install -y -qq --no-install-recommends $$missing; \
		else \
			echo "Missing system packages:$$missing"; \
			echo "Install them with: sudo apt-get install$$missing"; \
			exit 1; \
		fi; \
	fi

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
