"""The webhook through the public API: signatures, the inbox, and what each event does
to orders, whatever the order or number of deliveries. Events the local Stripe server
never sends are built here and signed with the webhook secret, so the real
verification runs."""

import datetime
import json
import time

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from orders import services
from orders.models import Order, OrderStatus, PaymentStatus, ShopOrder
from orders.payment_port import PaymentProviderError
from payments import gateway
from payments.gateway import webhook_signature_header
from payments.models import (
    LedgerEntry,
    PaymentIssue,
    StripeEvent,
    StripeEventStatus,
    StripeRefund,
)
from tests.orders.factories import cart_add, checkout, stocked_variant
from tests.payments.events import deliver, event, intent, send
from tests.shops.factories import VariantFactory
from worker.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def card_order(buyer, fake_port):
    cart_add(buyer, stocked_variant(price=210_000, stock=5), 2)
    order = checkout(buyer, method="stripe")
    services.payment_intent_ensure(order=order)
    order.refresh_from_db()
    return order


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Deliver, then run what the delivery enqueued (the worker's part) in-process."""

    def deliver_and_apply(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return deliver_and_apply


def test_a_signed_success_pays_the_order_once_however_often_it_comes(card_order, buyer, run):
    body = event("payment_intent.succeeded", intent(card_order))
    first = run(deliver, body)
    again = run(deliver, body)

    assert first.status_code == 200 and first.json()["duplicate"] is False
    assert again.status_code == 200 and again.json()["duplicate"] is True
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PAID
    assert card_order.payment.status == PaymentStatus.SUCCEEDED
    assert StripeEvent.objects.get().status == StripeEventStatus.APPLIED
    assert Notification.objects.filter(recipient=buyer, kind="order_paid").count() == 1
    shop_order = ShopOrder.objects.get(order=card_order)
    assert shop_order.status == "awaiting_fulfilment"
    assert Notification.objects.filter(kind="shop_order_new").count() == 1
    sales = LedgerEntry.objects.filter(kind="sale")
    assert [(s.shop_order_id, s.amount) for s in sales] == [(shop_order.pk, shop_order.total)]


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda body: (body, "whsec_someone_else", None), id="wrong-secret"),
        pytest.param(lambda body: (body.replace(b"4", b"5"), None, None), id="tampered-body"),
        pytest.param(lambda body: (body, None, int(time.time()) - 301), id="outside-the-tolerance"),
    ],
)
def test_a_bad_signature_is_a_400_and_nothing_is_stored(card_order, run, tamper):
    body = event("payment_intent.succeeded", intent(card_order))
    signed_body, secret, timestamp = tamper(body)
    # Sign the original, send the tampered one (or sign wrongly).
    header = webhook_signature_header(
        payload=body, secret=secret or "whsec_local", timestamp=timestamp
    )
    response = APIClient().post(
        "/api/v1/payments/stripe/webhook/",
        data=signed_body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=header,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_signature"
    assert not StripeEvent.objects.exists()
    assert not OutboxMessage.objects.filter(task="payments.tasks.stripe_event_apply").exists()
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT


def test_a_missing_signature_or_a_body_that_is_not_an_event_is_a_400(api_client):
    missing = api_client.post(
        "/api/v1/payments/stripe/webhook/", data=b"{}", content_type="application/json"
    )
    assert missing.status_code == 400
    assert missing.json()["error"]["code"] == "invalid_signature"
    signed_junk = deliver(json.dumps({"hello": "world"}).encode())
    assert signed_junk.status_code == 400
    assert signed_junk.json()["error"]["code"] == "invalid_event"
    assert not StripeEvent.objects.exists()


def test_unknown_event_types_are_stored_and_acknowledged(run):
    response = run(send, "customer.created", {"id": "cus_1", "object": "customer"})
    assert response.status_code == 200
    assert StripeEvent.objects.get().status == StripeEventStatus.IGNORED


def test_a_wrong_amount_is_flagged_for_operators_and_never_paid(card_order, operator, run):
    response = run(
        send, "payment_intent.succeeded", intent(card_order, amount=card_order.total - 1_000)
    )
    assert response.status_code == 200
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    issue = PaymentIssue.objects.get()
    assert issue.kind == "amount_mismatch" and issue.order_id == card_order.pk
    assert issue.details["expected"] == card_order.total
    assert Notification.objects.filter(recipient=operator, kind="payment_issue").count() == 1

    run(send, "payment_intent.succeeded", intent(card_order, currency="usd"))
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    assert not LedgerEntry.objects.exists()


def test_a_declined_card_tells_the_buyer_and_the_order_stays_payable(card_order, buyer, run):
    declined = intent(card_order, status="requires_payment_method")
    declined["last_payment_error"] = {"message": "Your card was declined."}
    run(send, "payment_intent.payment_failed", declined)
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT
    told = Notification.objects.get(recipient=buyer, kind="payment_failed")
    assert "declined" in told.body

    run(send, "payment_intent.succeeded", intent(card_order))
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PAID
    # A failure that arrives after the success changes nothing and tells nobody.
    run(send, "payment_intent.payment_failed", declined)
    assert Notification.objects.filter(kind="payment_failed").count() == 1


def test_an_intent_cancelled_at_stripe_cancels_its_waiting_order(card_order, run):
    variant = ShopOrder.objects.get(order=card_order).lines.get().variant
    run(send, "payment_intent.canceled", intent(card_order, status="canceled"))
    card_order.refresh_from_db()
    variant.refresh_from_db()
    assert card_order.status == OrderStatus.CANCELLED
    assert variant.stock == 5


def _expire(order):
    Order.objects.filter(pk=order.pk).update(
        reserved_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.orders_expire_due() == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.EXPIRED


def test_a_success_after_expiry_takes_the_stock_again_when_it_can(card_order, buyer, run):
    _expire(card_order)
    variant = ShopOrder.objects.get(order=card_order).lines.get().variant
    variant.refresh_from_db()
    assert variant.stock == 5

    run(send, "payment_intent.succeeded", intent(card_order))
    card_order.refresh_from_db()
    variant.refresh_from_db()
    assert card_order.status == OrderStatus.PAID
    assert card_order.payment.status == PaymentStatus.SUCCEEDED
    assert ShopOrder.objects.get(order=card_order).status == "awaiting_fulfilment"
    assert variant.stock == 3
    assert LedgerEntry.objects.filter(kind="sale").count() == 1


def test_a_success_after_expiry_with_the_stock_gone_is_refunded_in_full(
    card_order, buyer, operator, run, monkeypatch
):
    asked = []

    def stripe_refunds(**kwargs):  # what leaves the machine; the real call is in
        asked.append(kwargs)  # test_local_stripe.py
        return gateway.RefundInfo(
            id="re_whole_1",
            status="succeeded",
            amount=kwargs["amount"],
            intent_id=kwargs["intent_id"],
            metadata=kwargs["metadata"],
        )

    monkeypatch.setattr(gateway, "refund_create", stripe_refunds)
    _expire(card_order)
    variant = ShopOrder.objects.get(order=card_order).lines.get().variant
    VariantFactory._meta.model.objects.filter(pk=variant.pk).update(stock=1)

    run(send, "payment_intent.succeeded", intent(card_order))
    card_order.refresh_from_db()
    variant.refresh_from_db()
    assert card_order.status == OrderStatus.EXPIRED
    assert variant.stock == 1  # never oversold
    issue = PaymentIssue.objects.get(kind="paid_too_late")
    assert issue.order_id == card_order.pk and issue.amount == card_order.total
    refund = OutboxMessage.objects.get(task="payments.tasks.intent_refund_whole")
    assert refund.kwargs == {
        "order_id": card_order.pk,
        "intent_id": card_order.payment.intent_id,
        "amount": card_order.total,
    }
    assert [a["amount"] for a in asked] == [card_order.total]
    assert card_order.payment.refunded_amount == card_order.total
    assert card_order.payment.status == PaymentStatus.REFUNDED
    assert Notification.objects.filter(recipient=buyer, kind="order_refunded").count() == 1
    assert not LedgerEntry.objects.exists()
    # Stripe's own news of that refund later changes nothing.
    run(
        send,
        "charge.refund.updated",
        {
            "id": "re_whole_1",
            "object": "refund",
            "amount": card_order.total,
            "status": "succeeded",
            "payment_intent": card_order.payment.intent_id,
            "metadata": {"whole": "1", "order_id": str(card_order.pk)},
        },
    )
    card_order.payment.refresh_from_db()
    assert card_order.payment.refunded_amount == card_order.total
    assert Notification.objects.filter(kind="order_refunded").count() == 1


def test_expiry_asks_stripe_first_and_a_paid_intent_is_never_released(card_order, fake_port):
    fake_port.intent_status = "succeeded"  # the payments app applied it when asked
    Order.objects.filter(pk=card_order.pk).update(
        reserved_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.orders_expire_due() == 0
    assert fake_port.reconciled == [card_order.pk]
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT  # not expired, stock kept


def test_stripe_unreachable_postpones_expiry(card_order, fake_port):
    def down(**kwargs):
        raise PaymentProviderError("stripe unreachable", retryable=True)

    fake_port.payment_reconcile = down
    Order.objects.filter(pk=card_order.pk).update(
        reserved_until=timezone.now() - datetime.timedelta(minutes=1)
    )
    assert services.orders_expire_due() == 0
    card_order.refresh_from_db()
    assert card_order.status == OrderStatus.PENDING_PAYMENT


def _paid(order, run):
    run(send, "payment_intent.succeeded", intent(order))
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_charge_refunded_confirms_a_refund_made_in_the_dashboard(card_order, operator, run):
    _paid(card_order, run)
    charge = {
        "id": "ch_1",
        "object": "charge",
        "payment_intent": card_order.payment.intent_id,
        "amount": card_order.total,
        "amount_refunded": 50_000,
        "refunds": {
            "data": [
                {
                    "id": "re_dash_1",
                    "object": "refund",
                    "amount": 50_000,
                    "status": "succeeded",
                    "payment_intent": card_order.payment.intent_id,
                    "metadata": {},
                }
            ]
        },
    }
    run(send, "charge.refunded", charge)
    run(send, "charge.refunded", charge, event_id=None)  # a second, distinct event
    card_order.refresh_from_db()
    assert card_order.payment.refunded_amount == 50_000
    assert StripeRefund.objects.get().confirmed_at is not None
    assert PaymentIssue.objects.get().kind == "unattributed_refund"
    assert Notification.objects.filter(kind="order_refunded").count() == 1


def test_a_dispute_holds_the_shops_money_until_it_is_won(card_order, operator, run):
    _paid(card_order, run)
    dispute = {
        "id": "dp_1",
        "object": "dispute",
        "amount": card_order.total,
        "payment_intent": card_order.payment.intent_id,
        "charge": "ch_1",
        "reason": "fraudulent",
        "status": "needs_response",
    }
    run(send, "charge.dispute.created", dispute)
    shop_order = ShopOrder.objects.get(order=card_order)
    net = sum(e.amount for e in LedgerEntry.objects.exclude(kind="dispute_hold"))
    hold = LedgerEntry.objects.get(kind="dispute_hold")
    assert hold.amount == -net and hold.shop_order_id == shop_order.pk
    assert PaymentIssue.objects.get().kind == "dispute"
    assert Notification.objects.filter(recipient=operator, kind="payment_issue").count() == 1

    run(send, "charge.dispute.closed", {**dispute, "status": "won"})
    release = LedgerEntry.objects.get(kind="dispute_release")
    assert release.amount == net
    assert not LedgerEntry.objects.filter(kind="refund").exists()
