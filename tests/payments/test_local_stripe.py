"""The money path end to end against the local Stripe server, through the public API:
checkout → intent → the buyer's card → the server's own signed
`payment_intent.succeeded` to our live webhook → paid, shops told, ledger written →
fulfilment to completed → payable → a payout recorded once. And the same payment
with its webhook lost, healed by reconciliation."""

import datetime
import json
import time
import urllib.request

import pytest
from django.conf import settings
from django.utils import timezone

from orders.models import Order, ShopOrder
from payments import gateway
from payments.models import LedgerEntry, Payout, StripeEvent, StripeRefund
from payments.services import payouts, reconcile
from tests.conftest import bearer_client
from tests.orders.factories import address, cart_add, shop_in, shop_owner, stocked_variant
from tests.orders.test_stripe import card_pays
from worker.models import Notification

pytestmark = [pytest.mark.django_db(transaction=True)]


def _register_webhook(stripe_base: str, url: str, events=("payment_intent.succeeded",)) -> None:
    request = urllib.request.Request(
        f"{stripe_base}/_config/webhooks/ocop-tests",
        data=json.dumps(
            {
                "url": url,
                "secret": settings.STRIPE_WEBHOOK_SECRET,
                "events": list(events),
            }
        ).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.STRIPE_SECRET_KEY}",
        },
    )
    urllib.request.urlopen(request, timeout=5).close()


def _card_checkout(buyer, shops_and_prices):
    client = bearer_client(buyer)
    for shop, price in shops_and_prices:
        cart_add(buyer, stocked_variant(shop=shop, price=price, stock=10), 1)
    response = client.post(
        "/api/v1/checkout/",
        {"shipping_address": address(), "payment_method": "stripe"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=f"e2e-{time.monotonic_ns()}",
    )
    assert response.status_code == 201, response.content
    return client, response.json()


def _wait_for(predicate, seconds=15.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


@pytest.fixture
def stripe_webhooks_to(local_stripe):
    """Point the session's local Stripe server at a live server for one test, and at
    nothing afterwards (clearing its data does not clear its webhooks)."""
    yield lambda url: _register_webhook(local_stripe, url)
    _register_webhook(local_stripe, "http://127.0.0.1:9/", events=[])


def test_a_card_order_is_paid_by_the_servers_webhook_then_paid_out_once(
    reference_data, buyer, local_stripe, live_server, stripe_webhooks_to
):
    stripe_webhooks_to(f"{live_server.url}/api/v1/payments/stripe/webhook/")
    shop = shop_in(legal_type="cooperative", commission_bp=500)
    client, body = _card_checkout(buyer, [(shop, 185_000)])
    intent_id = body["payment"]["intent_id"]
    assert intent_id.startswith("pi_") and body["status"] == "pending_payment"

    card_pays(intent_id)

    assert _wait_for(lambda: Order.objects.get(pk=body["id"]).status == "paid")
    # The ledger is written by the task the payment enqueued on commit.
    assert _wait_for(lambda: LedgerEntry.objects.filter(kind="sale").exists())
    event = StripeEvent.objects.get(type="payment_intent.succeeded")
    assert event.status == "applied" and event.source == "webhook"
    owner = shop_owner(shop)
    assert Notification.objects.filter(recipient=owner, kind="shop_order_new").count() == 1
    assert Notification.objects.filter(recipient=buyer, kind="order_paid").count() == 1
    shop_order = ShopOrder.objects.get(order_id=body["id"])
    sale = LedgerEntry.objects.get(kind="sale")
    assert (sale.shop_id, sale.amount) == (shop.pk, shop_order.total)
    net = shop_order.total - (shop_order.subtotal * 500 + 5_000) // 10_000

    producer = bearer_client(owner)
    base = f"/api/v1/shops/{shop.slug}"
    assert producer.get(f"{base}/balance/").json() == {
        "pending": net,
        "payable": 0,
        "held": 0,
        "paid_out": 0,
        "currency": "VND",
    }
    for step, data in (("accept", {}), ("ship", {"carrier": "GHN", "tracking_number": "G1"})):
        assert producer.post(f"{base}/orders/{shop_order.pk}/{step}/", data).status_code == 200
    assert producer.post(f"{base}/orders/{shop_order.pk}/deliver/").status_code == 200
    receipt = client.post(
        f"/api/v1/orders/{body['id']}/shop-orders/{shop_order.pk}/confirm-receipt/"
    )
    assert receipt.status_code == 200
    assert producer.get(f"{base}/balance/").json()["payable"] == net

    account = producer.put(
        f"{base}/payout-account/",
        {"bank_name": "Agribank", "account_number": "3600 2050 12345", "account_holder": "HTX"},
        format="json",
    )
    assert account.status_code == 200
    first = payouts.payouts_run(period="2026-W49")
    again = payouts.payouts_run(period="2026-W49")
    assert [p.amount for p in first] == [net] and again == []
    assert Payout.objects.count() == 1
    csv_text = payouts.payout_batch_csv(batch_id=first[0].batch_id)
    assert "360020501234" in csv_text.replace(" ", "") and str(net) in csv_text
    payouts.payout_mark_paid(payout_id=first[0].pk)
    assert Notification.objects.filter(recipient=owner, kind="payout_sent").count() == 1

    listed = producer.get(f"{base}/payouts/").json()
    assert listed["count"] == 1 and listed["results"][0]["status"] == "paid"
    assert producer.get(f"{base}/balance/").json() == {
        "pending": 0,
        "payable": 0,
        "held": 0,
        "paid_out": net,
        "currency": "VND",
    }
    kinds = [row["kind"] for row in producer.get(f"{base}/ledger/").json()["results"]]
    assert sorted(kinds) == ["commission", "payout", "sale"]


def test_a_lost_webhook_is_healed_by_reconciliation(reference_data, buyer, local_stripe):
    shop = shop_in()
    _, body = _card_checkout(buyer, [(shop, 95_000)])
    card_pays(body["payment"]["intent_id"])  # no webhook registered for this server URL
    assert Order.objects.get(pk=body["id"]).status == "pending_payment"

    # Too fresh to be looked at yet.
    assert reconcile.payments_reconcile() == {}
    found = reconcile.payments_reconcile(now=timezone.now() + datetime.timedelta(minutes=6))
    assert found == {"intent:succeeded": 1}
    assert Order.objects.get(pk=body["id"]).status == "paid"
    event = StripeEvent.objects.get()
    assert event.source == "reconciliation" and event.status == "applied"
    assert LedgerEntry.objects.filter(kind="sale").count() == 1


def test_a_rejected_shop_order_is_refunded_in_part_at_stripe(reference_data, buyer, local_stripe):
    near, far = shop_in(), shop_in()
    _, body = _card_checkout(buyer, [(near, 120_000), (far, 340_000)])
    intent_id = body["payment"]["intent_id"]
    card_pays(intent_id)
    reconcile.payments_reconcile(now=timezone.now() + datetime.timedelta(minutes=6))
    assert Order.objects.get(pk=body["id"]).status == "paid"

    rejected = ShopOrder.objects.get(order_id=body["id"], shop=far)
    producer = bearer_client(shop_owner(far))
    response = producer.post(
        f"/api/v1/shops/{far.slug}/orders/{rejected.pk}/reject/", {"reason": "Hết hàng"}
    )
    assert response.status_code == 200
    refunds = gateway.refunds_for_intent(intent_id)
    assert [r.amount for r in refunds] == [rejected.total]
    assert refunds[0].metadata == {"shop_order_id": str(rejected.pk)}
    rejected.refresh_from_db()
    assert rejected.refund_status == "done"
    order = Order.objects.get(pk=body["id"])
    assert order.payment.refunded_amount == rejected.total
    assert order.payment.status == "succeeded"  # the other shop's part stays paid

    # Reconciliation confirms the refund row Stripe holds, once.
    reconcile.payments_reconcile()
    assert StripeRefund.objects.get().confirmed_at is not None
    assert LedgerEntry.objects.filter(kind="refund", shop=far).count() == 1
    assert not LedgerEntry.objects.filter(kind="refund", shop=near).exists()
