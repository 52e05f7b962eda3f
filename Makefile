# OCOP Market: `make run` (the API with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
STRIPE_PORT ?= 8420

.PHONY: run test lint format worker beat bench-catalogue bench-checkout bench-webhooks clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Stamp files re-install only when pyproject.toml changes.
$(VENV)/.installed-local: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[local]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-local

run: $(VENV)/.installed-local
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_regions
	$(PY) manage.py seed_demo
	@export STRIPE_API_BASE=http://127.0.0.1:$(STRIPE_PORT); \
	$(PY) -m payments.local_stripe --host 127.0.0.1 --port $(STRIPE_PORT) \
		--webhook-url http://$(HOST):$(PORT)/api/v1/payments/stripe/webhook/ & stripe_pid=$$!; \
	trap 'kill $$stripe_pid 2>/dev/null' EXIT INT TERM; \
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

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles media .pytest_cache
