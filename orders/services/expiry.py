"""Unpaid card orders whose payment hold ran out: each expires, its shop orders are
cancelled (orders.services.fulfilment) and its stock and seats go back, unless Stripe
says the intent was paid meanwhile."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from marketplace.core.errors import InvalidTransition
from orders.models import Order, OrderStatus, Payment, PaymentMethod, PaymentStatus
from orders.payment_port import PaymentProviderError, payment_port
from orders.services.common import intent_cancel_enqueue, order_lock, payment_lock, shop_orders_lock
from orders.services.fulfilment import shop_order_apply
from orders.services.transitions import ORDER_TRANSITIONS, next_status, order_move

logger = logging.getLogger(__name__)


def order_expire(*, order_id: int, now: datetime.datetime | None = None) -> Order:
    """An unpaid card order's hold ran out: it expires, every shop order is cancelled,
    stock and seats go back (once: the lock and the state check make a second run 409)
    and the intent is cancelled after commit.

    Raises NotFound, InvalidTransition (not pending payment, or the hold is not over)."""
    now = now or timezone.now()
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        # Checked before the hold, so an order already paid or cancelled is a plain 409.
        next_status(table=ORDER_TRANSITIONS, action="expire", current=order.status)
        if order.reserved_until is None or order.reserved_until > now:
            raise InvalidTransition("The payment hold is not over yet.", code="hold_not_over")
        for shop_order in shop_orders_lock(order=order):
            shop_order_apply(
                order=order,
                shop_order=shop_order,
                action="expire",
                actor=None,
                note="payment hold expired",
            )
        fields = order_move(order=order, action="expire", note="payment hold expired")
        order.reserved_until = None
        order.save(update_fields=[*fields, "reserved_until"])
        payment = payment_lock(order=order)
        payment.status = PaymentStatus.CANCELLED
        payment.save(update_fields=["status", "updated_at"])
        intent_cancel_enqueue(order=order)
    return order


def orders_expire_due(*, now: datetime.datetime | None = None, limit: int = 500) -> int:
    """Expire every unpaid card order whose hold is over; returns how many expired. One
    transaction per order, so one bad order never blocks the rest."""
    now = now or timezone.now()
    due = list(
        Order.objects.filter(status=OrderStatus.PENDING_PAYMENT, reserved_until__lte=now)
        .order_by("reserved_until", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    expired = 0
    for order_id in due:
        if not _unpaid_at_provider(order_id=order_id):
            continue
        try:
            order_expire(order_id=order_id, now=now)
        except InvalidTransition:
            continue  # paid or cancelled since we looked
        expired += 1
    return expired


# What an intent may still become paid from: its hold is not released while in these.
_INTENT_IN_FLIGHT = {"processing", "requires_capture", "succeeded"}


def _unpaid_at_provider(*, order_id: int) -> bool:
    """Before an unpaid card order releases its stock, ask Stripe what became of its
    intent: a buyer who paid just before the hold ended must get a paid order, not an
    expired one. The payments app applies a succeeded intent as the webhook would. When
    Stripe cannot be asked, the order waits for the next run: stock that may have been
    paid for is never released on a guess."""
    payment = Payment.objects.filter(order_id=order_id).only("provider", "intent_id").first()
    if payment is None or payment.provider != PaymentMethod.STRIPE or not payment.intent_id:
        return True
    try:
        status = payment_port().payment_reconcile(order_id=order_id)
    except PaymentProviderError as exc:
        logger.warning(
            "intent state unknown, expiry postponed",
            extra={"order_id": order_id, "error": str(exc)},
        )
        return False
    return status not in _INTENT_IN_FLIGHT
