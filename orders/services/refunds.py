"""Giving a card payment back, per shop order: a cancelled or rejected part of a paid
order, or a refund an operator decides. Stripe is asked outside any lock with a key
stable per shop order; the refund counts once Stripe says it succeeded (at once, or
later through `charge.refunded` or reconciliation, which call
`shop_order_refund_confirm`). Each confirmed refund asks the payments app to write
the shop's reversal rows in its ledger."""

from __future__ import annotations

from django.db import transaction

from marketplace.core.errors import InvalidTransition, NotFound
from orders.models import (
    Order,
    Payment,
    PaymentMethod,
    PaymentStatus,
    ShopOrder,
)
from orders.payment_port import payment_port
from orders.services.common import (
    buyer_notify,
    event_record,
    order_lock,
    payment_lock,
    task_enqueue,
)
from orders.services.transitions import REFUND_TRANSITIONS, next_status

REFUND_SUCCEEDED = "succeeded"


def _refunded_add(*, payment: Payment, amount: int) -> None:
    """Count `amount` đồng more as given back, never past what was paid; a payment
    given back whole is refunded. The caller holds the payment's lock."""
    payment.refunded_amount = min(payment.amount, payment.refunded_amount + amount)
    if payment.refunded_amount == payment.amount:
        payment.status = PaymentStatus.REFUNDED
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])


def shop_order_refund_send(*, shop_order_id: int) -> bool:
    """Ask Stripe to give back what the buyer paid for one shop order (subtotal and
    shipping). Returns whether this call asked. Raises PaymentProviderError (the task
    retries the retryable ones)."""
    shop_order = ShopOrder.objects.get(pk=shop_order_id)
    if shop_order.refund_status not in REFUND_TRANSITIONS["send"]:
        return False
    payment = Payment.objects.get(order_id=shop_order.order_id)
    created = payment_port().refund_create(
        intent_id=payment.intent_id,
        amount=shop_order.total,
        idempotency_key=f"refund-shop-order-{shop_order.pk}",
        shop_order_id=shop_order.pk,
    )
    if created.status == REFUND_SUCCEEDED:
        shop_order_refund_confirm(shop_order_id=shop_order.pk, refund_id=created.refund_id)
        return True
    with transaction.atomic():
        order_lock(order_id=shop_order.order_id)
        # The "send" move as a conditional UPDATE: a confirmation that raced ahead stays.
        ((requested, sent),) = REFUND_TRANSITIONS["send"].items()
        ShopOrder.objects.filter(pk=shop_order.pk, refund_status=requested).update(
            refund_status=sent, refund_id=created.refund_id
        )
    return True


def shop_order_refund_confirm(*, shop_order_id: int, refund_id: str) -> bool:
    """Stripe says the shop order's refund succeeded: the payment's refunded amount
    grows by the shop order's total, the buyer is told and the shop's ledger reversed,
    once. Returns False when it was already confirmed."""
    with transaction.atomic():
        order_id = ShopOrder.objects.filter(pk=shop_order_id).values_list("order_id", flat=True)
        order = order_lock(order_id=order_id.get())
        shop_order = ShopOrder.objects.select_for_update(of=("self",)).get(pk=shop_order_id)
        if shop_order.refund_status not in REFUND_TRANSITIONS["confirm"]:
            return False  # confirmed already: counted once
        _refunded_add(payment=payment_lock(order=order), amount=shop_order.total)
        shop_order.refund_status = REFUND_TRANSITIONS["confirm"][shop_order.refund_status]
        shop_order.refund_id = refund_id
        shop_order.save(update_fields=["refund_status", "refund_id"])
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
        task_enqueue(
            task="payments.tasks.ledger_shop_order_refunded",
            kwargs={"shop_order_id": shop_order.pk},
            dedupe_key=f"ledger-refund:{shop_order.pk}",
        )
    return True


def shop_order_refund_request(*, shop_order_id: int, actor, reason: str) -> ShopOrder:
    """An operator gives a paid shop order's money back (goods lost, a complaint upheld)
    without cancelling it: the same refund as a cancellation, through the same task.

    Raises NotFound, InvalidTransition `not_refundable` (not a paid card order, or
    already refunded)."""
    with transaction.atomic():
        order_id = ShopOrder.objects.filter(pk=shop_order_id).values_list("order_id", flat=True)
        if not order_id:
            raise NotFound("No such shop order.", code="shop_order_not_found")
        order = order_lock(order_id=order_id[0])
        shop_order = ShopOrder.objects.select_for_update(of=("self",)).get(pk=shop_order_id)
        refusal = {
            "message": "Only a paid card shop order that was not refunded can be refunded.",
            "code": "not_refundable",
            "extra": {"refund_status": shop_order.refund_status},
        }
        if order.payment_method != PaymentMethod.STRIPE or order.paid_at is None:
            raise InvalidTransition(**refusal)
        shop_order.refund_status = next_status(
            table=REFUND_TRANSITIONS,
            action="request",
            current=shop_order.refund_status,
            **refusal,
        )
        shop_order.save(update_fields=["refund_status"])
        event_record(
            order=order,
            shop_order=shop_order,
            actor=actor,
            from_status=shop_order.status,
            to_status=shop_order.status,
            note=f"refund requested: {reason}",
        )
        task_enqueue(
            task="orders.tasks.shop_order_refund",
            kwargs={"shop_order_id": shop_order.pk},
            dedupe_key=f"refund:shop-order:{shop_order.pk}",
        )
    return shop_order


def payment_refunded_outside(
    *, order_id: int, refund_id: str, amount: int, of_order_payment: bool = True
) -> Order:
    """A refund of the order's card money that no shop order asked for: one made in
    Stripe's dashboard (the payments app flags it for an operator to attribute), or a
    payment that came too late given back whole. The payment's refunded amount follows
    Stripe (never past what was paid) unless the refunded intent is not the order's
    payment (`of_order_payment=False`: a second payment); the buyer is told."""
    with transaction.atomic():
        order = order_lock(order_id=order_id)
        payment = payment_lock(order=order)
        if of_order_payment:
            _refunded_add(payment=payment, amount=amount)
        event_record(
            order=order,
            from_status=order.status,
            to_status=order.status,
            note=f"refunded {amount} đ in Stripe ({refund_id})",
        )
        buyer_notify(
            order=order,
            kind="order_refunded",
            context={"amount": amount},
            dedupe_key=f"refund:{refund_id}",
        )
    return order
