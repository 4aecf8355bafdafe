# cellmeet — `make run` to try it (web server and background-job worker; Ctrl-C stops both), `make test` to check it. See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

# xstatic-bootstrap's sdist needs an older setuptools to build.
export PIP_BUILD_CONSTRAINT := $(CURDIR)/.ci/build-constraints.txt
export PIP_DISABLE_PIP_VERSION_CHECK := 1

# Debian packages: translations (gettext), the Times-metric Vietnamese font and PDF
# tools for printing; for the tests, chromium (browser tests) and zbar-tools (reading
# QR codes back from printed minutes) and qpdf (the PDF/A gate's structure check).
RUN_APT_PACKAGES := gettext fonts-liberation2 poppler-utils
TEST_APT_PACKAGES := $(RUN_APT_PACKAGES) chromium zbar-tools qpdf

.PHONY: run test install install-test lint format bench bench-smoke clean messages translations

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@scripts/run-with-worker.sh $(BIN)/python $(HOST):$(PORT)

test: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py makemigrations --check --dry-run
	SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=') ALLOWED_HOSTS=cellmeet.example \
		DJANGO_SETTINGS_MODULE=cellmeet.settings.prod $(BIN)/python manage.py check --deploy --fail-level WARNING
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest $(PYTEST_ARGS)

install: $(VENV)/.installed messages
	@scripts/system-packages.sh $(RUN_APT_PACKAGES)

install-test: $(VENV)/.installed messages
	@scripts/system-packages.sh $(TEST_APT_PACKAGES)
	@# npm fetches axe-core for the accessibility tests; a machine with its own Node.js keeps it.
	@command -v npm >/dev/null || scripts/system-packages.sh npm

$(BIN)/python:
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || scripts/system-packages.sh python3-venv
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@scripts/system-packages.sh gettext
	@# dev: the tests' tools and test data (factory-boy, Faker); signing: pyHanko, so
	@# that the signing tests run (production installs it only to sign: README).
	$(BIN)/pip install -q -e ".[dev,signing]"
	touch $@

# Compiled catalogues are build output, made from the committed .po files.
messages: locale/vi/LC_MESSAGES/django.mo

locale/vi/LC_MESSAGES/django.mo: locale/vi/LC_MESSAGES/django.po | $(VENV)/.installed
	$(BIN)/python manage.py compilemessages --locale vi --ignore "$(VENV)/*" -v0

# For developers: refresh the catalogue after changing strings, then translate.
translations: $(VENV)/.installed
	$(BIN)/python manage.py makemessages --locale vi --no-obsolete --add-location file \
		--ignore '.venv/*' --ignore 'tests/*' --ignore 'staticfiles/*'

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# The printing benchmark runs on a throwaway SQLite (or DATABASE_URL) test database;
# the concurrent saves on a throwaway SQLite served by runserver and by gunicorn (figures
# merged into bench-results.json); the board's query counts for 13 and 500 cells on a
# throwaway SQLite (or DATABASE_URL); the compliance board on a province-sized data set
# needs PostgreSQL.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

bench: install-test
	$(BIN)/python -m tests.bench
	$(BIN)/python -m tests.bench.concurrent_saves
	$(BIN)/python -m tests.bench.board_queries
	$(BIN)/python -m tests.bench.recording_page
	$(BIN)/python -m tests.bench.monthly_journey
	@# The province's reviewer pages (board by commune, lists, search): tests/bench/province.py.
	@if pg_isready -q -d "$(BENCH_DATABASE_URL)" 2>/dev/null; then \
		DATABASE_URL="$(BENCH_DATABASE_URL)" DJANGO_SETTINGS_MODULE=cellmeet.settings.test \
		$(BIN)/python -c "import django; django.setup(); from tests.bench.board import main; main()"; \
		DATABASE_URL="$(BENCH_DATABASE_URL)" $(BIN)/python -m tests.bench.province; \
	else \
		echo "PostgreSQL is not reachable at $(BENCH_DATABASE_URL): board benchmark skipped."; \
	fi
	@# The province's board opened by 8 at once after a status change (gunicorn), a minutes
	@# book behind 500 bulk jobs (the real worker): throwaway SQLite, tests/bench/province_live.py.
	$(BIN)/python -m tests.bench.province_live

# Every benchmark once at small sizes, on throwaway SQLite databases (DATABASE_URL is
# ignored): do they still run end to end? For CI; a fresh bench-results.json holds the
# figures, which are not comparable with those of `make bench`.
SMOKE := env -u DATABASE_URL DJANGO_SETTINGS_MODULE=cellmeet.settings.test $(BIN)/python

bench-smoke: install-test
	rm -f bench-results.json
	$(SMOKE) -m tests.bench --runs 1 --book-runs 1
	$(SMOKE) -m tests.bench.concurrent_saves --workers 4 --rounds 2
	BENCH_BOARD_LARGE_COMMUNES=2 $(SMOKE) -m tests.bench.board_queries
	$(SMOKE) -m tests.bench.recording_page --sizes 36 --runs 1
	$(SMOKE) -m tests.bench.monthly_journey --members 10 --windows desktop
	BENCH_BOARD_COMMUNES=2 BENCH_BOARD_REPEAT=1 \
		$(SMOKE) -c "import django; django.setup(); from tests.bench.board import main; main()"
	BENCH_PROVINCE_COMMUNES=2 BENCH_PROVINCE_REPEAT=1 $(SMOKE) -m tests.bench.province
	$(SMOKE) -m tests.bench.province_live --communes 2 --bulk 50

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm media
