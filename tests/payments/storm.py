"""Helpers for the webhook storm: Stripe events as Stripe sends them, signed (or not) as
a delivery would be, and a buyer paying at the local Stripe server."""

from __future__ import annotations

import json
import time
import urllib.request
from dataclasses import dataclass

import stripe
from django.conf import settings

from payments.gateway import webhook_signature_header

API_VERSION = "2024-06-20"

# Event types Stripe sends that the marketplace stores and acknowledges only.
IGNORED_TYPES = (
    "customer.created",
    "customer.updated",
    "payment_method.attached",
    "balance.available",
    "product.created",
    "price.created",
    "invoice.created",
    "charge.updated",
)


@dataclass
class Event:
    """One event as Stripe would deliver it: its id, type and exact body."""

    id: str
    type: str
    body: bytes
    # What the event is about (an intent id), when it is about one.
    intent_id: str = ""
    order_id: int | None = None

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


@dataclass
class Delivery:
    """One POST to the webhook. `mode`: `first`/`same` (the same bytes, the same
    signature as the event's earlier delivery), `resigned` (the same bytes signed again
    at another second), or one of the bad ones (`wrong_secret`, `tampered`, `stale`,
    `no_header`, `garbage_header`)."""

    event: Event
    mode: str


def event_body(*, event_id: str, type_: str, obj: dict, created: int) -> bytes:
    envelope = {
        "id": event_id,
        "object": "event",
        "api_version": API_VERSION,
        "created": created,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": type_,
        "data": {"object": obj},
    }
    # Stripe sends its events pretty-printed; the signature is over these exact bytes.
    return json.dumps(envelope, indent=2, ensure_ascii=False).encode()


def intent_object(
    *,
    intent_id: str,
    amount: int,
    status: str,
    order_id: int | None,
    decline: str | None = None,
) -> dict:
    return {
        "id": intent_id,
        "object": "payment_intent",
        "amount": amount,
        "amount_received": amount if status == "succeeded" else 0,
        "currency": "vnd",
        "status": status,
        "capture_method": "automatic",
        "payment_method_types": ["card"],
        "metadata": {"order_id": str(order_id)} if order_id is not None else {},
        "last_payment_error": (
            {"code": "card_declined", "decline_code": "generic_decline", "message": decline}
            if decline
            else None
        ),
    }


def sign(body: bytes, *, secret: str | None = None, timestamp: int | None = None) -> str:
    return webhook_signature_header(
        payload=body, secret=secret or settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp
    )


def now() -> int:
    return int(time.time())


def card_pays(intent_id: str) -> None:
    """What the buyer's app does with the client secret: pay by test card at the local
    Stripe server."""
    client = stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses={"api": settings.STRIPE_API_BASE},
        max_network_retries=0,
    )
    client.v1.payment_intents.update(intent_id, params={"payment_method": "pm_card_visa"})
    client.v1.payment_intents.confirm(intent_id)


def local_stripe_webhooks_off(base: str) -> None:
    """The local Stripe server is shared by the session and keeps webhook registrations
    when its data is flushed: an earlier test (test_local_stripe.py) points `ocop-tests`
    at the session's live server, which writes to this test's database. Re-registered
    for no event type, it sends nothing, so only the storm's deliveries reach the app."""
    request = urllib.request.Request(
        f"{base}/_config/webhooks/ocop-tests",
        data=json.dumps(
            {"url": "http://127.0.0.1:9/unused", "secret": "whsec_unused", "events": []}
        ).encode(),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {settings.STRIPE_SECRET_KEY}",
        },
    )
    urllib.request.urlopen(request, timeout=5).close()
