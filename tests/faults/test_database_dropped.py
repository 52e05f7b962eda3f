"""Fault drill: the database connection of a request dies mid-checkout (a PostgreSQL
restart, a failover, an operator's pg_terminate_backend). The buyer gets a clean 503 in
the error format, nothing of the order is left behind, and the next request, served by
the same web process, is answered on a new connection."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from django.db import connection

from marketplace.core.models import IdempotencyRecord
from orders.migrations import _default_rates
from orders.models import CartItem, Order, OrderEvent, OrderLine, Payment, ShopOrder
from shops.models import ProductVariant, StockMovement
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client, conninfo_of_test_db
from tests.faults.conftest import WebProcess
from tests.orders.factories import address, cart_add, stocked_variant
from worker.models import OutboxMessage

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CHECKOUT = "/api/v1/checkout/"


@pytest.fixture
def web(regions, settings):
    _default_rates.add_rates_now()
    server = WebProcess(redis_url=settings.REDIS_URL)
    try:
        yield server
    finally:
        server.stop()


def bearer(user) -> str:
    return bearer_client(user)._credentials["HTTP_AUTHORIZATION"]


def backend_waiting_on(admin: psycopg.Connection, locker_pid: int, timeout: float = 15) -> int:
    """The pid of the backend that waits for a lock `locker_pid` holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = admin.execute(
            "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))",
            [locker_pid],
        ).fetchone()
        if row:
            return row[0]
        time.sleep(0.02)
    raise AssertionError("the checkout never reached the stock lock")


def test_connection_killed_mid_checkout_is_a_503_with_nothing_half_written(web):
    buyer = UserFactory(role="buyer")
    variant = stocked_variant(stock=5, price=120_000)
    cart_add(buyer, variant, 2)
    auth = bearer(buyer)
    movements = StockMovement.objects.filter(variant=variant).count()
    body = {"shipping_address": address(), "payment_method": "stripe"}
    # The web process opens its connection, kept for the requests that follow.
    assert web.request("GET", "/api/v1/orders/", Authorization=auth).status == 200

    answers = []
    with (
        psycopg.connect(conninfo_of_test_db(), autocommit=True) as admin,
        psycopg.connect(conninfo_of_test_db()) as locker,
    ):
        # Another transaction holds the jar's row: the checkout writes its order, shop
        # orders, lines, events and outbox row, then waits for the stock, last.
        locker.execute(
            f"SELECT stock FROM {ProductVariant._meta.db_table} WHERE id = %s FOR UPDATE",
            [variant.pk],
        )
        request = threading.Thread(
            target=lambda: answers.append(
                web.request("POST", CHECKOUT, body, Authorization=auth, **{"Idempotency-Key": "k"})
            )
        )
        request.start()
        victim = backend_waiting_on(admin, locker.info.backend_pid)
        admin.execute("SELECT pg_terminate_backend(%s)", [victim])
        request.join(timeout=30)
        locker.rollback()

    [answer] = answers
    assert answer.status == 503, (answer, web.output())
    assert answer.body["error"]["code"] == "database_unavailable"
    assert answer.body["error"]["message"]
    assert int(answer.headers["Retry-After"]) > 0
    # Nothing of the order was left, the stock and the cart are as they were.
    for model in (Order, ShopOrder, OrderLine, OrderEvent, Payment, OutboxMessage):
        assert not model.objects.exists(), model
    assert not IdempotencyRecord.objects.exists()
    assert StockMovement.objects.filter(variant=variant).count() == movements
    variant.refresh_from_db()
    assert variant.stock == 5
    assert CartItem.objects.filter(cart__buyer=buyer).count() == 1

    # The same process answers the retry on a new connection, with the same key.
    again = web.request("POST", CHECKOUT, body, Authorization=auth, **{"Idempotency-Key": "k"})
    assert again.status == 201, (again, web.output())
    order = Order.objects.get()
    assert again.body["id"] == order.pk
    assert ShopOrder.objects.filter(order=order).count() == 1
    variant.refresh_from_db()
    assert variant.stock == 3


def test_a_kept_connection_that_died_between_requests_fails_one_request_cleanly(web):
    buyer = UserFactory(role="buyer")
    auth = bearer(buyer)
    assert web.request("GET", "/api/v1/orders/", Authorization=auth).status == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        ours = cursor.fetchone()[0]
    with psycopg.connect(conninfo_of_test_db(), autocommit=True) as admin:
        # Every other connection to the database (the web process keeps one), as a
        # database restart would.
        killed = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
            [ours],
        ).fetchall()
    assert killed
    first = web.request("GET", "/api/v1/orders/", Authorization=auth)
    # Without CONN_HEALTH_CHECKS (the default) nothing finds out before the first query.
    assert first.status == 503, (first, web.output())
    assert first.body["error"]["code"] == "database_unavailable"
    assert int(first.headers["Retry-After"]) > 0
    assert web.request("GET", "/api/v1/orders/", Authorization=auth).status == 200
