"""The order's side of payment: asking for the PaymentIntent after checkout, and what
the payment's fate does to the order. The payments app calls these from the Stripe
events it applies (`order_payment_succeed`, `order_paid_after_expiry`,
`order_payment_failed`, `order_payment_cancelled`); refunds are in `refunds.py`."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from marketplace.core.errors import Conflict, InvalidTransition
from orders.models import (
    Order,
    OrderLine,
    OrderStatus,
    Payment,
    PaymentMethod,
    PaymentStatus,
)
from orders.payment_port import PaymentProviderError, payment_port
from orders.services.checkout_notify import shop_order_new_notify
from orders.services.common import (
    buyer_notify,
    order_lock,
    payment_lock,
    shop_orders_lock,
    task_enqueue,
)
from orders.services.fulfilment import order_cancel_unpaid
from orders.services.tickets import tickets_issue
from orders.services.transitions import (
    ORDER_TRANSITIONS,
    next_status,
    order_move,
    shop_order_move,
)
from shops.services import session_reserve_many, stock_reserve_many

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
        # Checked before more locks are taken and before the payment is compared.
        next_status(table=ORDER_TRANSITIONS, action="pay", current=order.status)
        shop_orders = shop_orders_lock(order=order)
        payment = payment_lock(order=order)
        _payment_check(order=order, payment=payment, intent_id=intent_id, amount=amount)
        now = timezone.now()
        fields = order_move(order=order, action="pay", note=intent_id)
        order.paid_at = now
        order.reserved_until = None
        order.save(update_fields=[*fields, "paid_at", "reserved_until"])
        _paid_record(
            order=order, payment=payment, shop_orders=shop_orders, intent_id=intent_id, action="pay"
        )
    return order


def _paid_record(
    *, order: Order, payment: Payment, shop_orders: list, intent_id: str, action: str
) -> None:
    """What a payment does once the order itself is marked paid (on time or late): the
    payment succeeded, each shop order moves by `action` and its shop is told, tickets
    are issued, the buyer told and the ledger asked for. The caller holds the locks."""
    payment.status = PaymentStatus.SUCCEEDED
    payment.intent_id = intent_id
    payment.save(update_fields=["status", "intent_id", "updated_at"])
    for shop_order in shop_orders:
        fields = shop_order_move(order=order, shop_order=shop_order, action=action)
        # A late payment revives shop orders the expiry cancelled.
        shop_order.cancel_reason = ""
        shop_order.cancelled_at = None
        shop_order.save(update_fields=[*fields, "cancel_reason", "cancelled_at"])
        if shop_order.is_service:
            tickets_issue(shop_order=shop_order)
        shop_order_new_notify(shop_order=shop_order, buyer=order.buyer)
    buyer_notify(
        order=order,
        kind="order_paid",
        context={"total": order.total},
        dedupe_key=f"order-paid:{order.pk}",
    )
    ledger_order_paid_enqueue(order=order)


def ledger_order_paid_enqueue(*, order: Order) -> None:
    """The payments app writes each shop's sale, commission and tax rows for a paid
    order (named by string: orders sits below payments)."""
    task_enqueue(
        task="payments.tasks.ledger_order_paid",
        kwargs={"order_id": order.pk},
        dedupe_key=f"ledger-paid:{order.pk}",
    )


def _payment_check(*, order: Order, payment: Payment, intent_id: str, amount: int) -> None:
    if (payment.intent_id and payment.intent_id != intent_id) or amount != order.total:
        raise Conflict(
            "The payment does not match the order.",
            code="payment_mismatch",
            extra={"expected": order.total, "received": amount},
        )


def order_paid_after_expiry(*, order_id: int, intent_id: str, amount: int) -> Order:
    """A card payment arrived after the order's hold ran out (the buyer paid in the last
    seconds, or the news came late). If the stock and seats can still be had, the order
    comes back as paid, exactly as if the payment had been on time.

    Raises InsufficientStock (the caller refunds in full), Conflict `payment_mismatch`,
    InvalidTransition (the order is not expired)."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        next_status(table=ORDER_TRANSITIONS, action="pay_late", current=order.status)
        shop_orders = shop_orders_lock(order=order)
        payment = payment_lock(order=order)
        _payment_check(order=order, payment=payment, intent_id=intent_id, amount=amount)
        lines = list(
            OrderLine.objects.filter(shop_order__order=order, variant__isnull=False)
            .order_by("pk")
            .values_list("variant_id", "quantity", "service_date")
        )
        goods = [(v, q) for v, q, d in lines if d is None]
        seats = [(v, d, q) for v, q, d in lines if d is not None]
        # Same lock order as checkout: order, shop orders, payment, then the variants.
        stock_reserve_many(items=goods, reference=f"order:{order.pk}", actor=None)
        if seats:
            session_reserve_many(items=seats)
        now = timezone.now()
        fields = order_move(
            order=order,
            action="pay_late",
            note=f"{intent_id}: paid after the hold ended, stock taken again",
        )
        order.paid_at = now
        order.save(update_fields=[*fields, "paid_at"])
        _paid_record(
            order=order,
            payment=payment,
            shop_orders=shop_orders,
            intent_id=intent_id,
            action="pay_late",
        )
    return order


def order_payment_failed(*, order_id: int, intent_id: str, reason: str, cause: str) -> bool:
    """A card was declined. The order stays payable until its hold ends; the buyer is
    told once per `cause` (the event). Returns whether the buyer was told: nothing is
    said for an order that is no longer waiting for this intent."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        payment = payment_lock(order=order)
        if order.status != OrderStatus.PENDING_PAYMENT or payment.intent_id != intent_id:
            return False
        buyer_notify(
            order=order,
            kind="payment_failed",
            context={"total": order.total, "reason": reason[:200]},
            dedupe_key=f"payment-failed:{cause}",
        )
    return True


def order_payment_cancelled(*, order_id: int, intent_id: str) -> Order | None:
    """The order's intent was cancelled at Stripe before anyone paid it (by an operator
    there, or Stripe itself): the order can no longer be paid, so it is cancelled and its
    stock goes back. Returns None when the order was not waiting for that intent (an
    expired order whose intent we cancelled ourselves, say)."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        payment = payment_lock(order=order)
        if order.status != OrderStatus.PENDING_PAYMENT or payment.intent_id != intent_id:
            return None
    return order_cancel_unpaid(order_id=order_id, reason="payment cancelled at Stripe")


def payment_intent_cancel_send(*, order_id: int) -> bool:
    """Cancel the intent of an order that will never be paid (expired, cancelled).
    Returns whether there was one to cancel. Raises PaymentProviderError."""
    payment = Payment.objects.filter(order_id=order_id).first()
    if payment is None or not payment.intent_id or payment.status != PaymentStatus.CANCELLED:
        return False
    payment_port().intent_cancel(intent_id=payment.intent_id)
    return True
