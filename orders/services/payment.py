"""The order's side of payment: asking for the PaymentIntent after checkout, and what a
confirmed payment does to the order (the payments app calls `order_payment_succeed`
from its webhook handling)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from marketplace.core.errors import Conflict, InvalidTransition
from orders.models import Order, OrderStatus, Payment, PaymentMethod, PaymentStatus
from orders.payment_port import PaymentProviderError, payment_port
from orders.services.checkout import shop_order_new_notify
from orders.services.common import (
    ORDER_TRANSITIONS,
    SHOP_ORDER_TRANSITIONS,
    buyer_notify,
    event_record,
    next_status,
    order_lock,
    payment_lock,
    shop_orders_lock,
    task_enqueue,
)
from orders.services.tickets import tickets_issue

logger = logging.getLogger(__name__)


def payment_intent_ensure(*, order: Order) -> Payment:
    """Make sure an unpaid card order has its PaymentIntent; returns the Payment (with
    the client secret the buyer's app confirms). Called after checkout has committed: no
    row lock is held while Stripe is asked. If Stripe cannot be reached the order still
    stands; the buyer retries (`POST /orders/{id}/pay/`) or the hold simply expires.

    Raises InvalidTransition when the order is not waiting for a card payment."""
    payment = Payment.objects.get(order=order)
    if payment.provider != PaymentMethod.STRIPE or order.status != OrderStatus.PENDING_PAYMENT:
        raise InvalidTransition(
            "This order is not waiting for a card payment.", code="not_awaiting_payment"
        )
    if payment.intent_id:
        return payment
    try:
        created = payment_port().intent_create(
            amount=payment.amount,
            # Stable per order: a retry after a lost response gets the same intent.
            idempotency_key=f"order-{order.pk}-intent",
            metadata={"order_id": str(order.pk)},
        )
    except PaymentProviderError as exc:
        logger.warning(
            "payment intent not created", extra={"order_id": order.pk, "error": str(exc)}
        )
        return payment
    with transaction.atomic():
        stored = Payment.objects.filter(
            pk=payment.pk, intent_id="", status=PaymentStatus.PENDING
        ).update(intent_id=created.intent_id, client_secret=created.client_secret)
    if not stored:
        # The order expired or was cancelled meanwhile, or a twin request stored its own
        # intent first: this one must not stay payable.
        current = Payment.objects.get(pk=payment.pk)
        if current.intent_id != created.intent_id:
            try:
                payment_port().intent_cancel(intent_id=created.intent_id)
            except PaymentProviderError as exc:
                logger.warning(
                    "stray payment intent not cancelled",
                    extra={"intent_id": created.intent_id, "error": str(exc)},
                )
    payment.refresh_from_db()
    return payment


def order_payment_succeed(*, order_id: int, intent_id: str, amount: int) -> Order:
    """Record that the order's card payment went through: the order is paid, each shop
    order awaits fulfilment (shops are told), tickets are issued for tourism services.

    Raises Conflict `payment_mismatch` (another intent or amount: never marked paid),
    InvalidTransition (not waiting for payment, e.g. expired: the caller refunds)."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        new_status = next_status(table=ORDER_TRANSITIONS, action="pay", current=order.status)
        shop_orders = shop_orders_lock(order=order)
        payment = payment_lock(order=order)
        if (payment.intent_id and payment.intent_id != intent_id) or amount != order.total:
            raise Conflict(
                "The payment does not match the order.",
                code="payment_mismatch",
                extra={"expected": order.total, "received": amount},
            )
        now = timezone.now()
        event_record(order=order, from_status=order.status, to_status=new_status, note=intent_id)
        order.status = new_status
        order.paid_at = now
        order.reserved_until = None
        order.save(update_fields=["status", "paid_at", "reserved_until", "updated_at"])
        payment.status = PaymentStatus.SUCCEEDED
        payment.intent_id = intent_id
        payment.save(update_fields=["status", "intent_id", "updated_at"])
        for shop_order in shop_orders:
            to = next_status(table=SHOP_ORDER_TRANSITIONS, action="pay", current=shop_order.status)
            event_record(
                order=order, shop_order=shop_order, from_status=shop_order.status, to_status=to
            )
            shop_order.status = to
            shop_order.save(update_fields=["status"])
            if shop_order.is_service:
                tickets_issue(shop_order=shop_order)
            shop_order_new_notify(shop_order=shop_order, buyer=order.buyer)
        buyer_notify(
            order=order,
            kind="order_paid",
            context={"total": order.total},
            dedupe_key=f"order-paid:{order.pk}",
        )
    return order


def payment_intent_cancel_send(*, order_id: int) -> bool:
    """Cancel the intent of an order that will never be paid (expired, cancelled).
    Returns whether there was one to cancel. Raises PaymentProviderError."""
    payment = Payment.objects.filter(order_id=order_id).first()
    if payment is None or not payment.intent_id or payment.status != PaymentStatus.CANCELLED:
        return False
    payment_port().intent_cancel(intent_id=payment.intent_id)
    return True


def intent_cancel_enqueue(*, order: Order) -> None:
    task_enqueue(
        task="orders.tasks.payment_intent_cancel",
        kwargs={"order_id": order.pk},
        dedupe_key=f"intent-cancel:{order.pk}",
    )


def shop_order_refund_send(*, shop_order_id: int) -> bool:
    """Give back what the buyer paid for a cancelled shop order (subtotal and shipping).
    Stripe is asked outside any lock with a key stable per shop order; the bookkeeping
    then happens once under the order's lock. Returns whether this call refunded.

    Raises PaymentProviderError (the task retries the retryable ones)."""
    from orders.models import RefundStatus, ShopOrder

    shop_order = ShopOrder.objects.select_related("order").get(pk=shop_order_id)
    if shop_order.refund_status != RefundStatus.REQUESTED:
        return False
    payment = Payment.objects.get(order_id=shop_order.order_id)
    refund_id = payment_port().refund_create(
        intent_id=payment.intent_id,
        amount=shop_order.total,
        idempotency_key=f"refund-shop-order-{shop_order.pk}",
    )
    with transaction.atomic():
        order = order_lock(order_id=shop_order.order_id)
        shop_order = ShopOrder.objects.select_for_update(of=("self",)).get(pk=shop_order_id)
        if shop_order.refund_status != RefundStatus.REQUESTED:
            return False
        payment = payment_lock(order=order)
        payment.refunded_amount += shop_order.total
        if payment.refunded_amount == payment.amount:
            payment.status = PaymentStatus.REFUNDED
        payment.save(update_fields=["refunded_amount", "status", "updated_at"])
        shop_order.refund_status = RefundStatus.DONE
        shop_order.save(update_fields=["refund_status"])
        event_record(
            order=order,
            shop_order=shop_order,
            from_status=shop_order.status,
            to_status=shop_order.status,
            note=f"refunded {shop_order.total} đ ({refund_id})",
        )
        buyer_notify(
            order=order,
            kind="order_refunded",
            context={"amount": shop_order.total},
            dedupe_key=f"refund:shop-order:{shop_order.pk}",
        )
    return True
