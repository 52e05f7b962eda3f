"""Stripe events as Stripe signs them, for the events the local server never sends."""

from __future__ import annotations

import itertools
import json
import time

from django.conf import settings
from rest_framework.test import APIClient

from payments.gateway import webhook_signature_header

WEBHOOK = "/api/v1/payments/stripe/webhook/"
_ids = itertools.count(1)


def event(event_type: str, obj: dict, *, event_id: str | None = None) -> bytes:
    return json.dumps(
        {
            "id": event_id or f"evt_test_{next(_ids)}",
            "object": "event",
            "type": event_type,
            "created": int(time.time()),
            "data": {"object": obj},
        }
    ).encode()


def intent(order, *, intent_id: str | None = None, amount=None, currency="vnd", status=None):
    return {
        "id": intent_id or order.payment.intent_id,
        "object": "payment_intent",
        "amount": order.total if amount is None else amount,
        "currency": currency,
        "status": status or "succeeded",
        "metadata": {"order_id": str(order.pk)},
    }


def deliver(body: bytes, *, secret: str | None = None, timestamp: int | None = None, client=None):
    header = webhook_signature_header(
        payload=body, secret=secret or settings.STRIPE_WEBHOOK_SECRET, timestamp=timestamp
    )
    return (client or APIClient()).post(
        WEBHOOK, data=body, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )


def send(event_type: str, obj: dict, **kwargs):
    """Sign and deliver one event; with tasks in-process it is applied on commit."""
    return deliver(event(event_type, obj, event_id=kwargs.pop("event_id", None)), **kwargs)
