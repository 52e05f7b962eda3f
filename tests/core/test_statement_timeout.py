"""The web's statement_timeout: set by the web's entry points only, and a cancelled
statement is a 503 in the error format, never a 500."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection, transaction

from catalogue import selectors as catalogue_selectors
from orders import selectors as order_selectors
from tests.catalogue.factories import listed_product
from tests.conftest import database_url_of_test_db

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

SHOW = (
    "from django.db import connection\n"
    "with connection.cursor() as cursor:\n"
    "    cursor.execute('SHOW statement_timeout')\n"
    "    print(cursor.fetchone()[0])\n"
)


def _statement_timeout_in(*command: str) -> str:
    """`SHOW statement_timeout` in a fresh process started as `command` (its code ends
    with SHOW), against the test database, with the web limit set to 1234 ms."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "marketplace.settings.test",
        "DATABASE_URL": database_url_of_test_db(),
        "DATABASE_STATEMENT_TIMEOUT_MS": "1234",
    }
    done = subprocess.run(
        command, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_the_web_gets_the_limit_and_the_worker_and_commands_do_not():
    python = sys.executable
    assert _statement_timeout_in(python, "-c", "import marketplace.wsgi\n" + SHOW) == "1234ms"
    assert _statement_timeout_in(python, "-c", "import marketplace.asgi\n" + SHOW) == "1234ms"
    # Management commands (migrate, load_regions, the search rebuild) and the worker.
    assert _statement_timeout_in(python, "manage.py", "shell", "-c", SHOW) == "0"
    worker = "import django\nfrom worker.celery import app\ndjango.setup()\n" + SHOW
    assert _statement_timeout_in(python, "-c", worker) == "0"


def _cancelled_statement(calls: list):
    def run(*args, **kwargs):
        calls.append(1)
        # A savepoint, so that the test's own transaction outlives the cancelled one.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 20")
            cursor.execute("SELECT pg_sleep(2)")

    return run


def test_a_cancelled_statement_is_a_503_through_drf(buyer_client, monkeypatch):
    calls = []
    monkeypatch.setattr(order_selectors, "buyer_orders", _cancelled_statement(calls))
    response = buyer_client.get("/api/v1/orders/")
    assert response.status_code == 503, response.content
    assert response.json()["error"]["code"] == "statement_timeout"
    assert response["Retry-After"] == "5"


def test_a_cancelled_catalogue_read_is_a_503_and_runs_once(api_client, monkeypatch):
    listed_product(name="Nước mắm Phú Quốc")
    calls = []
    monkeypatch.setattr(catalogue_selectors, "facets", _cancelled_statement(calls))
    response = api_client.get("/api/v1/products/", {"facets": "true"})
    assert response.status_code == 503, response.content
    assert response.json()["error"]["code"] == "statement_timeout"
    assert calls == [1]
