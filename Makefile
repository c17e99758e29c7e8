# The two commands: `make demo` and `make test`. Everything else supports them.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Exported: the dev settings derive SITE_BASE_URL (printed in QR codes) from it.
export PORT
STAMP := $(VENV)/.installed

.PHONY: fonts demo test test-postgres test-browser lint format install migrate translations worker serve check-system bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(PY) manage.py compile_translations

# The public site's Arabic web font, cut to what the pages need (built, not committed).
SITE_FONT := static/site/fonts/NotoSansArabic-subset.woff2
$(SITE_FONT): static/site/fonts/NotoSansArabic.woff2 scripts/subset_site_font.py | $(STAMP)
	$(PY) scripts/subset_site_font.py

fonts: $(SITE_FONT)

migrate: $(STAMP) translations
	$(PY) manage.py migrate --noinput

check-system:
	@$(PYTHON) scripts/check_system.py || true

# Sets up, loads the demo data, starts the task worker and serves on $(PORT).
demo: $(STAMP) check-system migrate fonts
	$(PY) manage.py load_demo_data
	$(PY) manage.py collectstatic --noinput -v0
	@echo ""
	@echo "  Back office:  http://127.0.0.1:$(PORT)/admin/   (accounts: see README, password: demo-pass-2026!)"
	@echo "  Public site:  http://127.0.0.1:$(PORT)/ar/"
	@echo ""
	@mkdir -p var; $(PY) manage.py db_worker --queue-name '*' > var/worker.log 2>&1 & echo $$! > var/worker.pid; \
	trap 'kill $$(cat var/worker.pid) 2>/dev/null; rm -f var/worker.pid' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: $(STAMP)
	$(PY) manage.py db_worker --queue-name '*'

# Three runs: the suite in parallel; then the transactional tests (live server,
# concurrency), which flush the database, one at a time; then the migration round trip.
PYTEST_RUNS = $(PY) -m pytest -q -n 2 --dist loadfile -m 'not serial and not migration' \
	&& $(PY) -m pytest -q -m 'serial and not migration' \
	&& $(PY) -m pytest -q -m migration

test: $(STAMP) translations fonts
	$(PYTEST_RUNS)

test-postgres: $(STAMP) translations fonts
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}; export DATABASE_URL; $(PYTEST_RUNS)

test-browser: $(STAMP) translations fonts
	$(PY) -m pytest -q tests/browser

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: $(STAMP)
	$(PY) -m bench

clean:
	rm -rf $(VENV) static_collected var
