"""Reconciliation: what Stripe knows that no webhook told us. A beat task re-reads the
intents that have waited too long and the refunds not yet confirmed; what it finds is
stored as an event of its own (`source="reconciliation"`) and applied through the same
code as the webhook's events, so a lost webhook heals itself."""

from __future__ import annotations

import datetime
import logging

from django.db.models import Q
from django.utils import timezone

from orders.models import (
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
    ShopOrder,
)
from payments import gateway
from payments.models import StripeRefund, StripeRefundStatus
from payments.services.events import stripe_event_apply, stripe_event_store

logger = logging.getLogger(__name__)

# An intent is looked at once it has waited this long for its webhook.
STALE_AFTER = datetime.timedelta(minutes=5)
# Orders expired or cancelled this recently may still have been paid at the last moment.
LATE_PAYMENT_WINDOW = datetime.timedelta(days=1)

_INTENT_EVENTS = {
    "succeeded": "payment_intent.succeeded",
    "canceled": "payment_intent.canceled",
}


def _apply_found(*, event_id: str, event_type: str, obj: dict) -> str:
    payload = {"id": event_id, "type": event_type, "data": {"object": obj}}
    stripe_event_store(
        event_id=event_id, event_type=event_type, payload=payload, source="reconciliation"
    )
    return stripe_event_apply(event_id=event_id)


def intent_reconcile(*, intent_id: str) -> str:
    """Read one intent from Stripe and apply a final state we had not heard of.
    Returns its status. Raises PaymentGatewayError."""
    intent = gateway.payment_intent_retrieve(intent_id)
    event_type = _INTENT_EVENTS.get(intent.status)
    if event_type:
        _apply_found(
            event_id=f"reconcile_{intent.id}_{intent.status}",
            event_type=event_type,
            obj={
                "id": intent.id,
                "object": "payment_intent",
                "status": intent.status,
                "amount": intent.amount,
                "currency": intent.currency,
                "metadata": intent.metadata,
            },
        )
    return intent.status


def order_payment_reconcile(*, order_id: int) -> str:
    """The payment port's question from orders' expiry: what became of this order's
    intent (applied if paid)? Raises PaymentGatewayError."""
    intent_id = Payment.objects.filter(order_id=order_id).values_list("intent_id", flat=True)
    intent_id = intent_id.first() or ""
    return intent_reconcile(intent_id=intent_id) if intent_id else ""


def refund_reconcile(*, refund_id: str) -> str:
    refund = gateway.refund_retrieve(refund_id)
    _apply_found(
        event_id=f"reconcile_{refund.id}_{refund.status}",
        event_type="charge.refund.updated",
        obj={
            "id": refund.id,
            "object": "refund",
            "status": refund.status,
            "amount": refund.amount,
            "payment_intent": refund.intent_id,
            "metadata": refund.metadata,
        },
    )
    return refund.status


def payments_reconcile(*, now: datetime.datetime | None = None, limit: int = 200) -> dict:
    """One pass: stale unpaid intents, recently expired or cancelled orders' intents,
    refunds not yet confirmed. One Stripe call and one transaction per object, so one
    failure never blocks the rest. Returns counts by what was found."""
    now = now or timezone.now()
    found: dict[str, int] = {}
    unpaid = Payment.objects.filter(
        provider=PaymentMethod.STRIPE,
        status=PaymentStatus.PENDING,
        order__status=OrderStatus.PENDING_PAYMENT,
        order__created_at__lte=now - STALE_AFTER,
    )
    late = Payment.objects.filter(
        provider=PaymentMethod.STRIPE,
        status=PaymentStatus.CANCELLED,
        order__status__in=[OrderStatus.EXPIRED, OrderStatus.CANCELLED],
        order__updated_at__gte=now - LATE_PAYMENT_WINDOW,
    )
    intents = list(
        unpaid.exclude(intent_id="").order_by("pk").values_list("intent_id", flat=True)[:limit]
    ) + list(late.exclude(intent_id="").order_by("pk").values_list("intent_id", flat=True)[:limit])
    refunds = list(
        StripeRefund.objects.filter(
            Q(status=StripeRefundStatus.PENDING)
            | Q(status=StripeRefundStatus.SUCCEEDED, confirmed_at__isnull=True)
        )
        .order_by("created_at")
        .values_list("id", flat=True)[:limit]
    )
    refunds += [
        refund_id
        for refund_id in ShopOrder.objects.filter(refund_status=RefundStatus.SENT)
        .exclude(refund_id="")
        .values_list("refund_id", flat=True)[:limit]
        if refund_id not in refunds
    ]
    for kind, ids, reconcile in (
        ("intent", intents, lambda i: intent_reconcile(intent_id=i)),
        ("refund", refunds, lambda i: refund_reconcile(refund_id=i)),
    ):
        for object_id in ids:
            try:
                status = reconcile(object_id)
            except gateway.PaymentGatewayError as exc:
                logger.warning(
                    "reconciliation could not read",
                    extra={"object_id": object_id, "error": str(exc)},
                )
                status = "unreadable"
            key = f"{kind}:{status}"
            found[key] = found.get(key, 0) + 1
    return found
