# helseportal — `make help` lists the targets. Everything runs through uv and the `helseportal` command.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PORT ?= 8000
# uv from PATH (one that runs: a pyenv shim may name a uv this Python lacks); on a machine without it, `make`
# installs it from PyPI into .tools/ (no root, no network but PyPI).
UV ?= $(or $(shell uv --version >/dev/null 2>&1 && command -v uv),$(CURDIR)/.tools/bin/uv)
RUN := $(UV) run --frozen
export UV

.PHONY: help check install assets messages migrate demo run worker test test-sqlite test-postgres test-browser test-dates fhir-fuzz fhir-fuzz-postgres lint bench bench-booking bench-fhir screenshot clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

install: $(UV) ## Install Python and npm packages, build assets, compile translations
	$(UV) sync --frozen --compile-bytecode
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	$(MAKE) --no-print-directory messages

$(CURDIR)/.tools/bin/uv:
	python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target $(CURDIR)/.tools/uv uv
	mkdir -p $(CURDIR)/.tools/bin && ln -sf ../uv/bin/uv $(CURDIR)/.tools/bin/uv

assets: ## Copy front-end packages from node_modules into static/vendor
	npm run --silent build

messages: ## Compile the nb, nn and en message catalogues
	$(RUN) helseportal compilemessages --ignore=.venv --ignore=node_modules -v0

migrate: ## Apply database migrations
	$(RUN) helseportal migrate --no-input -v1

demo: ## Load synthetic demo persons, practitioners and units (idempotent)
	$(RUN) helseportal demo

run: install migrate demo ## Install, migrate, load demo data and serve on 127.0.0.1:$(PORT) with the task worker
	@scripts/serve $(PORT)

worker: ## Run the background task worker alone
	$(RUN) helseportal db_worker

# Production serving (docs/operations.md "Serving"): with the environment's settings (HELSEPORTAL_ENV=production and
# the rest, or development's), static files collected, granian with one worker per core and the task worker. Stop
# it with `kill $$(cat var/serve.pid)` (or Ctrl+C); WORKERS and THREADS override the defaults.
.PHONY: serve
serve: ## granian (a worker per core) and the task worker, with this environment's settings, on $(PORT)
	$(RUN) helseportal collectstatic --no-input -v0
	$(RUN) helseportal serve --port $(PORT) $(if $(WORKERS),--workers $(WORKERS)) $(if $(THREADS),--threads $(THREADS))

.PHONY: bench-load
bench-load: ## Locust: mixed citizen and staff journeys against make serve on a throwaway PostgreSQL; CPU per step
	$(RUN) --group bench python -m bench.load

.PHONY: bench-serve
bench-serve: ## make serve on a throwaway PostgreSQL under wrk: /healthz, /om/, /gravid/ vs a bare Django page, 256 conns
	$(RUN) python -m bench.serve

# The suites run two at a time (each prints its output when it ends): SQLite and PostgreSQL first, the browser tests
# in the first free slot.
SUITES = $(MAKE) --no-print-directory -j2 --output-sync=target

test: install ## The whole suite: SQLite, a throwaway PostgreSQL 15 and the browser tests, two at a time
	$(SUITES) test-sqlite test-postgres test-browser

check: install ## What CI runs after lint: make test and make test-dates, two at a time
	$(SUITES) test-sqlite test-postgres test-browser test-dates

test-sqlite: ## Unit and integration tests on SQLite
	HELSEPORTAL_ENV=test $(RUN) pytest -m "not browser" -q

test-postgres: ## The tests that use the database, on a PostgreSQL 15 cluster started for this run and stopped after it
	HELSEPORTAL_ENV=test scripts/with-postgres $(RUN) pytest -m "not browser" -q -p no:cacheprovider

test-dates: ## The tests marked `dates` on each weekday and across both daylight-saving changes (SQLite)
	HELSEPORTAL_ENV=test $(RUN) pytest -m "dates and not browser" --each-clock -q -p no:cacheprovider

# The count is Hypothesis's examples for the whole document (~1,000 per operation); set it lower for a quick look:
# `HELSEPORTAL_FHIR_FUZZ_EXAMPLES=200 make fhir-fuzz`.
HELSEPORTAL_FHIR_FUZZ_EXAMPLES ?= 20000
HELSEPORTAL_FHIR_FUZZ_PER_OPERATION ?= 1000

fhir-fuzz: ## Schemathesis against the FHIR API's OpenAPI document, ~1,000 cases per operation (many minutes)
	HELSEPORTAL_ENV=test HELSEPORTAL_FHIR_FUZZ_EXAMPLES=$(HELSEPORTAL_FHIR_FUZZ_EXAMPLES) $(RUN) pytest -q -p no:cacheprovider helseportal/fhir/tests/test_openapi.py -k schemathesis
	HELSEPORTAL_ENV=test HELSEPORTAL_FHIR_FUZZ_PER_OPERATION=$(HELSEPORTAL_FHIR_FUZZ_PER_OPERATION) $(RUN) pytest -q -p no:cacheprovider tests/test_fhir_fuzz.py $(FHIR_FUZZ_PYTEST)

# The same on a throwaway PostgreSQL 15 (scripts/with-postgres). Long: run it in parts on a shared machine, e.g.
# `HELSEPORTAL_FHIR_FUZZ_ONLY="/_search,/Binary" FHIR_FUZZ_PYTEST="-k citizen-app -s" make fhir-fuzz-postgres`
# (label fragments, comma-separated; `-s` prints each operation's time).
fhir-fuzz-postgres: ## make fhir-fuzz against a throwaway PostgreSQL 15 (scripts/with-postgres)
	scripts/with-postgres $(MAKE) --no-print-directory fhir-fuzz

# The live server answers the browser's parallel requests in threads; a file database (WAL, busy timeout) lets
# their session writes wait for each other, where the shared in-memory one fails with "table is locked".
BROWSER_DB = SQLITE_TEST_NAME=$(CURDIR)/var/test-browser.sqlite3

test-browser: ## Browser tests: Playwright driving Debian's Chromium, with axe-core on every page
	mkdir -p var && rm -f var/test-browser.sqlite3*
	HELSEPORTAL_ENV=test $(BROWSER_DB) $(RUN) pytest -m browser -q -p no:cacheprovider

lint: ## ruff, mypy (django-stubs), import-linter and the missing-migrations check
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy
	$(RUN) lint-imports
	HELSEPORTAL_ENV=test $(RUN) helseportal makemigrations --check --dry-run

bench: ## Benchmarks in bench/ (numbers go into bench/README.md)
	HELSEPORTAL_ENV=test $(RUN) python -m bench

bench-booking: ## Booking throughput: 8 concurrent clients on a throwaway PostgreSQL, checked for double bookings
	HELSEPORTAL_ENV=test scripts/with-postgres $(RUN) python -m bench.booking

bench-fhir: ## FHIR API under load: helseportal vs a Starlette reference and fhirstarter (granian, wrk, own PostgreSQL)
	$(RUN) --group bench python -m bench.fhir

# Not in `make test` or CI: a throwaway PostgreSQL filled with a million persons by COPY (bench/README.md "A million
# persons"); PERSONS=100000 for a smaller run.
PERSONS ?= 1000000
.PHONY: bench-million
bench-million: ## 1M persons, 10M results, 5M messages, 2M appointments, 50M audit events: pages at 10k and at 1M
	$(RUN) python -m bench.million --persons $(PERSONS)

# Not in `make test` or CI: minutes of kill -9 on a durable throwaway PostgreSQL (docs/operations.md "Crash safety").
ROUNDS ?= 100
.PHONY: crash-test
crash-test: ## kill -9 the app (and every 5th round PostgreSQL) while clients write, ROUNDS times (default 100)
	$(RUN) python -m bench.crash --rounds $(ROUNDS)

.PHONY: ha-drill
ha-drill: ## Patroni fails over under writes: etcd, 2 nodes, kill -9 the primary, no confirmed write lost (apt: patroni etcd-server)
	$(RUN) python -m bench.ha

.PHONY: pitr-drill
pitr-drill: ## Point-in-time recovery: base backup, archived WAL, a DELETE undone (throwaway PostgreSQL, seconds)
	$(RUN) python -m bench.pitr

screenshot: ## Screenshot of the front page for the README (docs/img/front.png)
	HELSEPORTAL_ENV=test $(BROWSER_DB) $(RUN) pytest -m browser -q -p no:cacheprovider tests/browser/test_screenshot.py

clean: ## Remove the local database, built assets and caches (keeps var/secret_key)
	rm -rf var/helseportal.sqlite3* var/audit-checkpoints-*.jws var/staticfiles static/vendor .pytest_cache .mypy_cache .ruff_cache
