"""The real path to Stripe: orders → payment port (filled by the payments app) → gateway
→ the local Stripe server. No test double here."""

import datetime

import pytest
import stripe
from django.conf import settings
from django.utils import timezone

from orders import services
from orders.models import ShopOrder
from payments import gateway
from tests.conftest import bearer_client
from tests.orders.factories import address, cart_add, shop_owner, stocked_variant

pytestmark = pytest.mark.django_db


def stripe_checkout(buyer, client, key="stripe-1"):
    return client.post(
        "/api/v1/checkout/",
        {"shipping_address": address(), "payment_method": "stripe"},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )


def card_pays(intent_id: str) -> None:
    """What the buyer's app does with the client secret: pay by test card."""
    client = stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=0,
    )
    client.v1.payment_intents.update(intent_id, params={"payment_method": "pm_card_visa"})
    client.v1.payment_intents.confirm(intent_id)


def test_card_checkout_gets_a_vnd_intent_and_a_replay_does_not_make_another(
    buyer, buyer_client, local_stripe
):
    cart_add(buyer, stocked_variant(price=185_000), 2)
    first = stripe_checkout(buyer, buyer_client)
    assert first.status_code == 201
    payment = first.json()["payment"]
    assert payment["intent_id"].startswith("pi_")
    assert payment["client_secret"]
    intent = gateway.payment_intent_retrieve(payment["intent_id"])
    assert intent.amount == first.json()["total"]  # whole đồng, never multiplied by 100
    assert intent.currency == "vnd"
    assert intent.metadata == {"order_id": str(first.json()["id"])}

    replay = stripe_checkout(buyer, buyer_client)
    assert replay.status_code == 200
    assert replay.json()["payment"]["intent_id"] == payment["intent_id"]


def test_an_expired_order_cancels_its_intent(
    buyer, buyer_client, local_stripe, django_capture_on_commit_callbacks
):
    cart_add(buyer, stocked_variant(), 1)
    body = stripe_checkout(buyer, buyer_client).json()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.orders_expire_due(now=timezone.now() + datetime.timedelta(hours=1)) == 1
    assert gateway.payment_intent_retrieve(body["payment"]["intent_id"]).status == "canceled"


def test_a_paid_order_rejected_by_the_shop_is_refunded_at_stripe(
    buyer, buyer_client, local_stripe, django_capture_on_commit_callbacks
):
    variant = stocked_variant(price=240_000)
    cart_add(buyer, variant, 1)
    body = stripe_checkout(buyer, buyer_client).json()
    intent_id = body["payment"]["intent_id"]
    card_pays(intent_id)
    assert gateway.payment_intent_retrieve(intent_id).status == "succeeded"
    services.order_payment_succeed(order_id=body["id"], intent_id=intent_id, amount=body["total"])

    shop_order = ShopOrder.objects.get(order_id=body["id"])
    producer = bearer_client(shop_owner(variant.shop))
    with django_capture_on_commit_callbacks(execute=True):
        response = producer.post(
            f"/api/v1/shops/{variant.shop.slug}/orders/{shop_order.pk}/reject/",
            {"reason": "Hàng vỡ khi đóng gói"},
        )
    assert response.status_code == 200
    order = buyer_client.get(f"/api/v1/orders/{body['id']}/").json()
    assert order["shop_orders"][0]["refund_status"] == "done"
    assert order["payment"]["refunded_amount"] == body["total"]
    assert order["payment"]["status"] == "refunded"
