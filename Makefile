# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
MAKE_STARTED := $(shell date +%s)

.PHONY: install run serve worker test lint messages messages-compile migrate demo bench screenshots report-screenshots lock clean

# --- set-up ------------------------------------------------------------------------------------
$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

# Installing compiles the translations too, so that anything run right after it (build_report,
# runserver) speaks Vietnamese.
install: $(STAMP)
	$(PY) scripts/compile_messages.py

messages-compile: install

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# --- run ---------------------------------------------------------------------------------------
# Serves on 127.0.0.1:$(PORT). With no CELERY_BROKER_URL/REDIS_URL set, a Celery worker on the
# embedded filesystem transport runs next to the web server and stops with it.
run: messages-compile demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (demo accounts: see README.md)"
	@PY=$(PY) PORT=$(PORT) scripts/run.sh

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=INFO

# --- quality -----------------------------------------------------------------------------------
test: messages-compile
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: install
	$(VENV)/bin/ruff check .

messages: install
	PY=$(PY) scripts/make_messages.sh

# PNG screenshots of the main screens on the demo data (docs/screenshots/, listed in docs/SCREENSHOTS.md).
screenshots: messages-compile
	SCREENSHOTS_DIR=docs/screenshots $(VENV)/bin/pytest -q tests/e2e/test_screenshots.py -p no:cacheprovider

# The demo's NGHEAN 2025 school report and 2025 national summary as printed: built, converted to
# PDF by LibreOffice (soffice, A4 as set in the workbooks), first pages to PNG (pdftoppm) for the
# README (docs/screenshots/report-*.png). Needs LibreOffice and poppler-utils; not part of `make test`.
REPORTS_OUT ?= var/report-screenshots
report-screenshots: demo
	mkdir -p $(REPORTS_OUT) docs/screenshots
	$(PY) manage.py build_report --kind school --year 2025 --school NGHEAN --out $(REPORTS_OUT)/school-nghean-2025.xlsx
	$(PY) manage.py build_report --kind national --year 2025 --out $(REPORTS_OUT)/national-2025.xlsx
	soffice --headless --convert-to pdf --outdir $(REPORTS_OUT) $(REPORTS_OUT)/school-nghean-2025.xlsx $(REPORTS_OUT)/national-2025.xlsx
	pdfinfo $(REPORTS_OUT)/school-nghean-2025.pdf | grep Pages
	pdfinfo $(REPORTS_OUT)/national-2025.pdf | grep Pages
	pdftoppm -png -r 70 -f 1 -l 1 -singlefile $(REPORTS_OUT)/school-nghean-2025.pdf docs/screenshots/report-school-page1
	pdftoppm -png -r 70 -f 1 -l 1 -singlefile $(REPORTS_OUT)/national-2025.pdf docs/screenshots/report-national-page1

bench: messages-compile
	BENCH_MAKE_STARTED=$(MAKE_STARTED) $(PY) bench/run.py

# Regenerate the pinned lock file from pyproject.toml (developers only).
lock: | $(PY)
	rm -rf /tmp/tct-lock-venv && $(PYTHON) -m venv /tmp/tct-lock-venv
	/tmp/tct-lock-venv/bin/pip install --quiet --upgrade pip
	$(PYTHON) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; \
	print('\n'.join(p['dependencies'] + p['optional-dependencies']['dev']))" > /tmp/tct-lock-reqs.txt
	/tmp/tct-lock-venv/bin/pip install --quiet -r /tmp/tct-lock-reqs.txt
	/tmp/tct-lock-venv/bin/pip freeze > requirements.lock

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache
