# OCOP Market: `make run` (the API with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STRIPE_PORT ?= 8420

.PHONY: run serve test lint format audit lock fuzz worker beat bench-catalogue bench-checkout bench-webhooks \
	bench-compare bench-mixed clean

$(PY):
	$(PYTHON) -m venv $(VENV)

# Every dependency comes from a hash-locked file (requirements/local.txt: pyproject.toml
# with the `local` extra; dev.txt: with `dev`; prod.txt, the Docker image: without extras),
# pip refusing any file whose hash differs; the project goes on top without dependencies
# (and without build isolation: its build backend is locked too). The dry run then proves,
# offline, that the lock holds all that pyproject.toml asks for. Stamp files re-install
# only when the lock or pyproject.toml changes.
define install_locked
	$(PY) -m pip install --quiet --require-hashes -r requirements/$(1).txt
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	$(PY) -m pip install --quiet --dry-run --no-index --no-build-isolation -e '.[$(1)]' \
		|| { echo "requirements/$(1).txt lacks what pyproject.toml asks for: run make lock"; exit 1; }
endef

$(VENV)/.installed-local: requirements/local.txt pyproject.toml | $(PY)
	$(call install_locked,local)
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt pyproject.toml | $(PY)
	$(call install_locked,dev)
	touch $@ $(VENV)/.installed-local

# Rewrite the locks from pyproject.toml (needs PyPI): dev first, then local and prod held
# to its versions, so that every lock pins the same release of a package. Pins already in
# a lock are kept while they fit; `make lock LOCK_UPGRADE=--upgrade` takes the newest.
LOCK_UPGRADE ?=
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras \
	--no-emit-index-url --no-emit-find-links --unsafe-package ocop-market --no-allow-unsafe \
	$(LOCK_UPGRADE)
lock: | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.txt
	$(PIP_COMPILE) --extra dev --build-deps-for editable -o requirements/dev.txt pyproject.toml
	$(PIP_COMPILE) --extra local --build-deps-for editable -c requirements/dev.txt \
		-o requirements/local.txt pyproject.toml
	$(PIP_COMPILE) --build-deps-for wheel -c requirements/dev.txt \
		-o requirements/prod.txt pyproject.toml

# pip-audit over the three locks (what CI runs; needs PyPI's JSON API or OSV).
audit: $(VENV)/.installed-dev
	bash .ci/audit

# schemathesis against /api/schema/ as anonymous, buyer, producer and operator, a bounded
# time per role (FUZZ_SECONDS_PER_ROLE, default 45), on a fresh database `ocop_fuzz`
# with the demo data and a fixture (see .ci/fuzz). Needs PostgreSQL and Redis on loopback.
fuzz: $(VENV)/.installed-dev
	bash .ci/fuzz

# With DATABASE_URL or REDIS_URL unset, an embedded PostgreSQL or Redis (data in
# .embedded/, kept between runs) serves `make serve`, and stops when it exits.
run: $(VENV)/.installed-local
	$(PY) -m marketplace.embedded $(MAKE) --no-print-directory serve

# The demo stack on DATABASE_URL and REDIS_URL: migrations, regions, demo data, then the
# local Stripe server, a Celery worker and beat beside the API, all stopped with it.
serve: $(VENV)/.installed-local
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py seed_demo
	@mkdir -p .embedded
	@export STRIPE_API_BASE=http://127.0.0.1:$(STRIPE_PORT); \
	$(PY) -m payments.local_stripe --host 127.0.0.1 --port $(STRIPE_PORT) \
		--webhook-url http://$(HOST):$(PORT)/api/v1/payments/stripe/webhook/ & stripe_pid=$$!; \
	$(VENV)/bin/celery -A worker worker -Q $(QUEUES) -l info & worker_pid=$$!; \
	$(VENV)/bin/celery -A worker beat -l info --schedule .embedded/celerybeat-schedule & beat_pid=$$!; \
	trap 'kill $$stripe_pid $$worker_pid $$beat_pid 2>/dev/null; wait' EXIT INT TERM; \
	echo ""; \
	echo "  OCOP Market API   http://$(HOST):$(PORT)/api/v1/"; \
	echo "  API docs          http://$(HOST):$(PORT)/api/docs/"; \
	echo "  Back office       http://$(HOST):$(PORT)/admin/"; \
	echo "  Local Stripe      $$STRIPE_API_BASE"; \
	echo ""; \
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.installed-dev
	$(PY) -m pytest

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The full stack against PostgreSQL and Redis (set DATABASE_URL and REDIS_URL).
# One worker on every queue (Redis serves them in turn, so no queue waits behind another's
# backlog); in production also run a dedicated one: `make worker QUEUES=payments`.
QUEUES ?= payments,orders,stock,notifications,default
worker: $(VENV)/.installed-local
	$(VENV)/bin/celery -A worker worker -Q $(QUEUES) -l info

beat: $(VENV)/.installed-local
	$(VENV)/bin/celery -A worker beat -l info --schedule /tmp/ocop-celerybeat-schedule

# The catalogue under load beside a floor endpoint (see bench/catalogue.py). Needs
# PostgreSQL and Redis on loopback; BENCH_PRODUCTS=5000 for a quick run.
bench-catalogue: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || apt-get install -y wrk
	$(PY) -m bench.catalogue

# Checkouts per second (2 shops, 5 lines, 8 buyers) beside the floor endpoint, and SQL
# statements per checkout (see bench/checkout.py). Needs PostgreSQL and Redis on loopback.
bench-checkout: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || apt-get install -y wrk
	$(PY) -m bench.checkout

# Stripe events per second taken in by the webhook (beside a POST floor) and applied by a
# Celery worker (beside no-op tasks), with their checks (see bench/webhooks.py). Needs
# PostgreSQL and Redis on loopback; BENCH_EVENTS (default 2000) events per apply round.
bench-webhooks: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || apt-get install -y wrk
	$(PY) -m bench.webhooks

# The catalogue and checkout benchmarks on BENCH_BASE (by default the last commit before
# issue 16's one-database work) and on this tree in one run, base, head, head, base; prints
# both ratios to the floor and head/base (see bench/compare.py).
BENCH_BASE ?= ec28605
bench-compare: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || apt-get install -y wrk
	BENCH_BASE=$(BENCH_BASE) $(PY) -m bench.compare

# A busy evening on the full stack (gunicorn, a Celery worker and beat, PostgreSQL, Redis,
# the local Stripe server): browsing, carts and card checkouts paid by signed webhooks
# while producers edit at 0, 1 and 10 edits/s; per-kind figures, the catalogue cache's
# hit rate, then a consistency check that fails the target (see bench/mixed.py).
# BENCH_SECONDS per phase (default 30), BENCH_PRODUCTS (default 20000).
bench-mixed: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || apt-get install -y wrk
	$(PY) -m bench.mixed

clean:
	rm -rf $(VENV) staticfiles media .pytest_cache
	@echo "(the embedded servers' data stays in .embedded/; remove it by hand to start afresh)"
