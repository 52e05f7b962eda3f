"""Fault drill: the worker applying Stripe webhooks is killed, as a whole (no process
left to hand its message back), in the middle of an event: once with the event's effects
written but not committed, once with them committed but the message not yet
acknowledged. The broker gives each message out again (acks are late; the test's worker
sees the dead one's messages after a 2 s visibility timeout) to the next worker, and
every event ends applied exactly once: each order paid once, its ledger rows and
notifications once."""

from __future__ import annotations

import time
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType

from orders.models import Order, OrderEvent, Payment, ShopOrder
from payments.models import LedgerEntry, StripeEvent
from shops.models import ShopMember
from tests.accounts.factories import UserFactory
from tests.orders.factories import cart_add, checkout, shop_in, stocked_variant
from tests.payments.storm import event_body, intent_object, now, sign
from tests.worker.conftest import WorkerProcess, wait_for
from worker.celery import QUEUES
from worker.models import Notification, OutboxMessage

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

URL = "/api/v1/payments/stripe/webhook/"
ORDERS = 12
KILLS = {"before_commit": 2, "after_commit": 6}  # which order's success kills the worker
VISIBILITY = "2"


def start_worker(broker) -> WorkerProcess:
    return WorkerProcess(
        redis_url=broker.url,
        queues=",".join(QUEUES),
        include="tests.faults.webhook_killer",
        CELERY_VISIBILITY_TIMEOUT=VISIBILITY,
    )


def test_a_worker_killed_mid_webhook_leaves_each_event_applied_once(
    own_broker, reference_data, settings, client
):
    settings.MAX_OPEN_ORDERS_PER_BUYER = 0
    redis_client = own_broker.client()
    shops = [shop_in(), shop_in()]
    variants = [stocked_variant(shop=shop, stock=100, price=90_000) for shop in shops]
    buyers = [UserFactory(role="buyer") for _ in range(3)]
    orders = []
    for n in range(ORDERS):
        buyer = buyers[n % 3]
        cart_add(buyer, variants[0], 1)
        if n % 2:
            cart_add(buyer, variants[1], 2)  # two shops in one order
        order = checkout(buyer, method="stripe")
        Payment.objects.filter(order=order).update(intent_id=f"pi_drill_{n}")
        orders.append(order)

    # -- Stripe says every order is paid; a few deliveries come twice ----------------------
    events = []
    for n, order in enumerate(orders):
        event_id = f"evt_drill_{n:02d}"
        obj = intent_object(
            intent_id=f"pi_drill_{n}", amount=order.total, status="succeeded", order_id=order.pk
        )
        body = event_body(
            event_id=event_id, type_="payment_intent.succeeded", obj=obj, created=now()
        )
        events.append((event_id, body))
    for point, n in KILLS.items():
        redis_client.sadd(f"faults:kill:{point}", events[n][0])
    for event_id, body in [*events, *events[:4]]:
        response = client.post(
            URL, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=sign(body)
        )
        assert response.status_code == 200, (event_id, response.content)
    assert StripeEvent.objects.count() == ORDERS

    # -- a worker is killed twice mid-event; a third finishes --------------------------------
    for kill in range(len(KILLS)):
        worker = start_worker(own_broker)
        try:
            died = wait_for(lambda w=worker: w.process.poll() is not None, timeout=30)
            assert died, worker.output()
        finally:
            worker.stop()
        assert redis_client.llen("faults:killed") == kill + 1
        point, event_id = redis_client.lindex("faults:killed", -1).decode().split(":")
        event = StripeEvent.objects.get(pk=event_id)
        if point == "before_commit":
            # Its effects were written when the worker died: none of them committed.
            assert (event.status, event.attempts) == ("received", 0)
            order_id = int(event.payload["data"]["object"]["metadata"]["order_id"])
            assert Order.objects.get(pk=order_id).status == "pending_payment"
            assert not OrderEvent.objects.filter(order_id=order_id, to_status="paid").exists()
        else:
            assert event.status == "applied"
        assert redis_client.hlen("unacked") >= 1, "the dead worker's message is the broker's"
        time.sleep(float(VISIBILITY) + 0.2)
    killed = [k.decode() for k in redis_client.lrange("faults:killed", 0, -1)]
    assert sorted(killed) == sorted(f"{point}:{events[n][0]}" for point, n in KILLS.items())

    last = start_worker(own_broker)
    try:

        def all_done() -> bool:
            return (
                StripeEvent.objects.filter(status="applied").count() == ORDERS
                and not OutboxMessage.objects.filter(done_at__isnull=True).exists()
                and not any(redis_client.llen(queue) for queue in QUEUES)
                and not redis_client.hlen("unacked")
            )

        assert wait_for(all_done, timeout=40, interval=0.2), (
            Counter(StripeEvent.objects.values_list("status", flat=True)),
            OutboxMessage.objects.filter(done_at__isnull=True).count(),
            last.output()[-3000:],
        )
    finally:
        last.stop()

    # -- each event applied once, each effect once ---------------------------------------
    for event in StripeEvent.objects.all():
        # A run killed before its commit left no trace, not even its attempt.
        assert (event.status, event.attempts) == ("applied", 1), event.pk
    order_type = ContentType.objects.get_for_model(Order)
    shop_order_type = ContentType.objects.get_for_model(ShopOrder)
    members = Counter(ShopMember.objects.values_list("shop_id", flat=True))
    for order in Order.objects.all():
        assert order.status == "paid", order.pk
        assert Payment.objects.get(order=order).status == "succeeded"
        assert (
            OrderEvent.objects.filter(order=order, shop_order=None, to_status="paid").count() == 1
        )
        told = Notification.objects.filter(target_type=order_type, target_id=str(order.pk))
        assert Counter(told.values_list("kind", flat=True)) == {"order_placed": 1, "order_paid": 1}
        for shop_order in ShopOrder.objects.filter(order=order):
            assert shop_order.status == "awaiting_fulfilment"
            sales = LedgerEntry.objects.filter(shop_order=shop_order, kind="sale")
            assert [sale.amount for sale in sales] == [shop_order.total]
            assert LedgerEntry.objects.filter(shop_order=shop_order, kind="commission").count() == 1
            assert (
                Notification.objects.filter(
                    kind="shop_order_new", target_type=shop_order_type, target_id=str(shop_order.pk)
                ).count()
                == members[shop_order.shop_id]
            )
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
