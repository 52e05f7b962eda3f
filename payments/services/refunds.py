"""Refunds asked of Stripe by the payments app: one shop order's part (for orders,
through the payment port) and a whole payment the order could not take."""

from __future__ import annotations

from django.db import transaction

from orders.payment_port import RefundCreated
from payments import gateway
from payments.models import StripeRefund
from payments.services.handlers import order_for_intent, refund_seen


def shop_order_refund_create(
    *, intent_id: str, amount: int, idempotency_key: str, shop_order_id: int
) -> RefundCreated:
    """Refund one shop order's part of a paid intent, once: a refund already on record
    for the shop order is answered again instead of asking Stripe for a second one
    (the local Stripe server ignores idempotency keys). The row is confirmed later by
    `charge.refunded` or reconciliation. Raises PaymentGatewayError."""
    existing = StripeRefund.objects.filter(shop_order_id=shop_order_id).first()
    if existing is not None:
        return RefundCreated(refund_id=existing.id, status=existing.status)
    refund = gateway.refund_create(
        intent_id=intent_id,
        amount=amount,
        idempotency_key=idempotency_key,
        metadata={"shop_order_id": str(shop_order_id)},
    )
    order = order_for_intent(intent_id)
    StripeRefund.objects.get_or_create(
        id=refund.id,
        defaults={
            "intent_id": intent_id,
            "order": order,
            "shop_order_id": shop_order_id,
            "amount": refund.amount,
            "status": refund.status,
        },
    )
    return RefundCreated(refund_id=refund.id, status=refund.status)


def intent_refund_whole(*, order_id: int, intent_id: str, amount: int) -> str:
    """Give back in full a payment the order could not take (it came after the order
    was cancelled, or after the hold ended with the stock gone, or a second payment).
    Nothing else is ever refunded on such an intent, so a refund on record means this
    ran before. Raises PaymentGatewayError."""
    if StripeRefund.objects.filter(intent_id=intent_id).exists():
        return "already_refunded"
    refund = gateway.refund_create(
        intent_id=intent_id,
        amount=amount,
        idempotency_key=f"refund-whole-{intent_id}",
        metadata={"order_id": str(order_id), "whole": "1"},
    )
    with transaction.atomic():
        return refund_seen(refund, cause=f"refund-whole:{intent_id}")


def intent_refunds_reconcile(*, intent_id: str) -> list[str]:
    """Read an intent's refunds from Stripe and apply each as `charge.refunded` would.
    Raises PaymentGatewayError."""
    outcomes = []
    for refund in gateway.refunds_for_intent(intent_id):
        with transaction.atomic():
            outcomes.append(refund_seen(refund, cause=f"reconcile:{refund.id}"))
    return outcomes
