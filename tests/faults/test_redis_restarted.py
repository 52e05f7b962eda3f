"""Fault drill: the broker's Redis restarts while buyers check out. Orders placed before
the restart had their work published and waiting in Redis, which a restart without
persistence forgets; orders placed while it was down could not publish at all. Once
Redis is back and the relay and a worker catch up, every order's work is done, once."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.core import mail

from orders.migrations import _default_rates
from orders.models import Order
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.orders.factories import address, cart_add, stocked_variant
from tests.worker.conftest import in_process_worker
from worker.celery import QUEUES
from worker.models import Notification, OutboxMessage
from worker.outbox import relay_outbox

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

ORDERS = 30
DOWN_AT, UP_AT = 10, 20


def test_a_redis_restart_under_checkouts_loses_no_outbox_work(own_broker, regions, settings):
    _default_rates.add_rates_now()
    settings.MAX_OPEN_ORDERS_PER_BUYER = 0
    # Sent work that no worker finished is published again after this long.
    settings.OUTBOX_REDELIVER_AFTER_SECONDS = 1
    variant = stocked_variant(stock=1_000, price=50_000)
    buyers = [UserFactory(role="buyer") for _ in range(3)]
    clients = [bearer_client(buyer) for buyer in buyers]
    body = {"shipping_address": address(), "payment_method": "stripe"}

    # -- the load: checkouts one after another; Redis stops after a third of them and
    #    comes back (empty: no persistence) after two thirds ------------------------------
    for n in range(ORDERS):
        if n == DOWN_AT:
            own_broker.stop()
        if n == UP_AT:
            own_broker.start()
        cart_add(buyers[n % 3], variant, 1)
        started = time.monotonic()
        response = clients[n % 3].post(
            "/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY=f"drill-{n}"
        )
        assert response.status_code == 201, response.content
        assert time.monotonic() - started < 3, "a dead broker must not hold a checkout up"
    assert Order.objects.count() == ORDERS
    unsent = OutboxMessage.objects.filter(sent_at__isnull=True).count()
    assert unsent == UP_AT - DOWN_AT, "the checkouts while Redis was down wait for the relay"
    # What was published before the restart is gone from the broker.
    assert own_broker.client().llen("notifications") == ORDERS - UP_AT

    # -- Redis is back: the beat relay (run here every half second) and a worker ---------
    def all_done() -> bool:
        relay_outbox()
        told = Notification.objects.filter(kind="order_placed").count()
        return told == ORDERS and len(mail.outbox) == Notification.objects.count()

    with in_process_worker(list(QUEUES)):
        deadline = time.monotonic() + 30
        while not all_done() and time.monotonic() < deadline:
            time.sleep(0.5)
        # Whatever a second relay pass would publish again, the worker would do again.
        time.sleep(1.5)
        relay_outbox()
        time.sleep(1.0)

    # -- every order's work done once ---------------------------------------------------
    told = Counter(
        Notification.objects.filter(kind="order_placed").values_list("target_id", flat=True)
    )
    assert told == Counter({str(pk): 1 for pk in Order.objects.values_list("pk", flat=True)})
    assert len(mail.outbox) == Notification.objects.count() == ORDERS
    assert Counter(m.to[0] for m in mail.outbox) == Counter(
        Notification.objects.values_list("recipient__email", flat=True)
    )
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists()
