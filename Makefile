# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
STAMP := $(VENV)/.installed
MAKE_STARTED := $(shell date +%s)

.PHONY: install run serve worker test lint messages messages-compile migrate demo bench screenshots lock clean

# --- set-up ------------------------------------------------------------------------------------
$(PY):
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.lock | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP)

messages-compile: install
	$(PY) scripts/compile_messages.py

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# --- run ---------------------------------------------------------------------------------------
# Serves on 127.0.0.1:$(PORT). With no CELERY_BROKER_URL/REDIS_URL set, a Celery worker on the
# embedded filesystem transport runs next to the web server and stops with it.
run: messages-compile demo
	@echo "Serving on http://127.0.0.1:$(PORT)/  (demo accounts: see README.md)"
	@trap 'kill 0' INT TERM EXIT; \
	$(VENV)/bin/celery -A config worker --loglevel=WARNING --concurrency=1 --pool=solo & \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

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
