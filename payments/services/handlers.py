"""What each Stripe event does to the marketplace. Each handler takes the event's
object (a plain dict, as Stripe sent it or as reconciliation read it) and `cause`, the
event's id; it runs inside the transaction that marks the event applied, and never
calls Stripe itself (a refund it needs is enqueued through the outbox).

Events arrive late, twice and out of order, so each handler looks at the order's
current state rather than assuming the previous event was seen."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from orders import services as orders
from orders.models import Order, OrderStatus, Payment, PaymentMethod
from payments.gateway import CURRENCY, PaymentIntentInfo, RefundInfo, intent_info, refund_info
from payments.models import Dispute, PaymentIssueKind, StripeRefund, StripeRefundStatus
from payments.services.issues import payment_issue_raise
from payments.services.ledger import ledger_dispute_close, ledger_dispute_hold
from shops.services import InsufficientStock
from worker.outbox import outbox_enqueue

WHOLE_REFUND_TASK = "payments.tasks.intent_refund_whole"
REFUNDS_RECONCILE_TASK = "payments.tasks.intent_refunds_reconcile"


def _id_of(value: Any) -> str:
    """Stripe sends related objects as ids, the local server sometimes nested."""
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def order_for_intent(intent_id: str, metadata: dict | None = None) -> Order | None:
    """The card order an intent pays: by the intent stored on its payment, else by the
    order id we put in the intent's metadata (when the answer to our create was lost)."""
    payment = Payment.objects.filter(intent_id=intent_id).select_related("order").first()
    if payment is not None:
        return payment.order
    order_id = (metadata or {}).get("order_id", "")
    if isinstance(order_id, str) and order_id.isdigit():
        return Order.objects.filter(pk=int(order_id), payment_method=PaymentMethod.STRIPE).first()
    return None


def whole_refund_enqueue(*, order: Order, intent: PaymentIntentInfo, why: str) -> None:
    """Give a payment back in full, after commit (the order cannot take it)."""
    payment_issue_raise(
        kind=PaymentIssueKind.PAID_TOO_LATE,
        reference=intent.id,
        order=order,
        intent_id=intent.id,
        amount=intent.amount,
        details={"why": why, "order_status": order.status},
    )
    outbox_enqueue(
        task=WHOLE_REFUND_TASK,
        kwargs={"order_id": order.pk, "intent_id": intent.id, "amount": intent.amount},
        dedupe_key=f"refund-whole:{intent.id}",
    )


def intent_succeeded(obj: dict, *, cause: str) -> str:
    """The buyer's card was charged. Paid if the order still waits for it; an expired
    order comes back if its stock can be had again; otherwise the money goes back. A
    charge that does not match the order (amount, currency) is never taken as payment."""
    intent = intent_info(obj)
    order = order_for_intent(intent.id, intent.metadata)
    if order is None:
        payment_issue_raise(
            kind=PaymentIssueKind.UNKNOWN_INTENT,
            reference=intent.id,
            intent_id=intent.id,
            amount=intent.amount,
            details={"metadata": intent.metadata, "event": cause},
        )
        return "unknown_intent"
    if intent.currency != CURRENCY or intent.amount != order.total:
        payment_issue_raise(
            kind=PaymentIssueKind.AMOUNT_MISMATCH,
            reference=intent.id,
            order=order,
            intent_id=intent.id,
            amount=intent.amount,
            details={
                "expected": order.total,
                "expected_currency": CURRENCY,
                "received": intent.amount,
                "received_currency": intent.currency,
                "event": cause,
            },
        )
        return "mismatch"
    payment = Payment.objects.get(order=order)
    if payment.intent_id and payment.intent_id != intent.id:
        # A second intent of the same order was paid (a retried create whose first
        # answer was lost): the order is paid once, this money goes back.
        whole_refund_enqueue(order=order, intent=intent, why="a second payment of the order")
        return "refunded"
    if order.status == OrderStatus.PENDING_PAYMENT:
        orders.order_payment_succeed(order_id=order.pk, intent_id=intent.id, amount=intent.amount)
        return "paid"
    if order.status == OrderStatus.EXPIRED:
        try:
            with transaction.atomic():
                orders.order_paid_after_expiry(
                    order_id=order.pk, intent_id=intent.id, amount=intent.amount
                )
            return "paid_late"
        except InsufficientStock:
            whole_refund_enqueue(
                order=order, intent=intent, why="paid after the hold ended; stock gone"
            )
            return "refunded"
    if order.status == OrderStatus.CANCELLED and order.paid_at is None:
        whole_refund_enqueue(order=order, intent=intent, why="paid after the order was cancelled")
        return "refunded"
    return "already_paid"


def intent_payment_failed(obj: dict, *, cause: str) -> str:
    """A card was declined: the buyer is told; the order stays payable until its hold
    ends (the buyer may try another card)."""
    intent = intent_info(obj)
    order = order_for_intent(intent.id, intent.metadata)
    if order is None:
        return "unknown_intent"
    told = orders.order_payment_failed(
        order_id=order.pk,
        intent_id=intent.id,
        reason=intent.last_error or "card declined",
        cause=cause,
    )
    return "buyer_told" if told else "stale"


def intent_canceled(obj: dict, *, cause: str) -> str:
    """An intent was cancelled at Stripe. Ours are cancelled after an order expired or
    was cancelled (nothing to do); one cancelled while its order waited ends the order."""
    intent = intent_info(obj)
    order = order_for_intent(intent.id, intent.metadata)
    if order is None:
        return "unknown_intent"
    cancelled = orders.order_payment_cancelled(order_id=order.pk, intent_id=intent.id)
    return "order_cancelled" if cancelled else "stale"


def refund_seen(refund: RefundInfo, *, cause: str) -> str:
    """Stripe reports a refund (ours or made in its dashboard). A succeeded refund for a
    shop order confirms that shop order's refund; a whole refund of a late payment is
    recorded on the order; any other is recorded and flagged for an operator."""
    row = StripeRefund.objects.select_for_update().filter(pk=refund.id).first()
    shop_order_id = refund.metadata.get("shop_order_id", "")
    order = order_for_intent(refund.intent_id)
    if row is None:
        row = StripeRefund.objects.create(
            id=refund.id,
            intent_id=refund.intent_id,
            order=order,
            shop_order_id=int(shop_order_id) if shop_order_id.isdigit() else None,
            amount=refund.amount,
            status=refund.status or StripeRefundStatus.PENDING,
        )
    elif row.status != refund.status and refund.status:
        row.status = refund.status
        row.save(update_fields=["status", "updated_at"])
    if row.confirmed_at is not None:
        return "already_confirmed"
    if refund.status in (StripeRefundStatus.FAILED, StripeRefundStatus.CANCELED):
        payment_issue_raise(
            kind=PaymentIssueKind.REFUND_FAILED,
            reference=refund.id,
            order=order,
            intent_id=refund.intent_id,
            amount=refund.amount,
            details={"status": refund.status, "event": cause},
        )
        row.confirmed_at = timezone.now()
        row.save(update_fields=["confirmed_at", "updated_at"])
        return "failed"
    if refund.status != StripeRefundStatus.SUCCEEDED:
        return "pending"
    outcome = "confirmed"
    if row.shop_order_id is not None:
        orders.shop_order_refund_confirm(shop_order_id=row.shop_order_id, refund_id=refund.id)
    elif refund.metadata.get("whole") == "1":
        # Ours: a late or second payment given back (the order may not know the intent).
        late = order_for_intent(refund.intent_id, refund.metadata)
        if late is not None:
            orders.payment_refunded_outside(
                order_id=late.pk,
                refund_id=refund.id,
                amount=refund.amount,
                of_order_payment=order is not None,
            )
    elif order is not None:
        orders.payment_refunded_outside(
            order_id=order.pk, refund_id=refund.id, amount=refund.amount
        )
        payment_issue_raise(
            kind=PaymentIssueKind.UNATTRIBUTED_REFUND,
            reference=refund.id,
            order=order,
            intent_id=refund.intent_id,
            amount=refund.amount,
            details={"event": cause},
        )
        outcome = "unattributed"
    row.confirmed_at = timezone.now()
    row.save(update_fields=["confirmed_at", "updated_at"])
    return outcome


def charge_refunded(obj: dict, *, cause: str) -> str:
    """A charge was refunded, in part or in full. The charge lists its refunds in older
    API versions; when it does not, they are read from Stripe after commit."""
    intent_id = _id_of(obj.get("payment_intent"))
    listed = (obj.get("refunds") or {}).get("data")
    if listed is None:
        outbox_enqueue(
            task=REFUNDS_RECONCILE_TASK,
            kwargs={"intent_id": intent_id},
            dedupe_key=f"refunds-reconcile:{intent_id}:{cause}",
        )
        return "refunds_to_read"
    outcomes = []
    for data in listed:
        refund = refund_info(data)
        if not refund.intent_id:
            refund = RefundInfo(
                id=refund.id,
                status=refund.status,
                amount=refund.amount,
                intent_id=intent_id,
                metadata=refund.metadata,
            )
        outcomes.append(refund_seen(refund, cause=cause))
    return ",".join(outcomes) or "none"


def refund_updated(obj: dict, *, cause: str) -> str:
    return refund_seen(refund_info(obj), cause=cause)


def _dispute_row(obj: dict) -> tuple[Dispute, Order | None]:
    intent_id = _id_of(obj.get("payment_intent"))
    order = order_for_intent(intent_id) if intent_id else None
    dispute = Dispute.objects.select_for_update().filter(pk=obj["id"]).first()
    if dispute is None:
        dispute = Dispute.objects.create(
            id=obj["id"],
            order=order,
            intent_id=intent_id,
            amount=int(obj["amount"]),
            reason=str(obj.get("reason") or "")[:64],
            status=str(obj.get("status") or ""),
        )
    return dispute, order


def dispute_created(obj: dict, *, cause: str) -> str:
    """A buyer disputed the charge: the order is flagged, operators told, and each of
    its shops' money for it held until the dispute closes."""
    dispute, order = _dispute_row(obj)
    payment_issue_raise(
        kind=PaymentIssueKind.DISPUTE,
        reference=dispute.id,
        order=order,
        intent_id=dispute.intent_id,
        amount=dispute.amount,
        details={"reason": dispute.reason, "event": cause},
    )
    if order is None or dispute.closed_at is not None:
        return "flagged"
    ledger_dispute_hold(dispute_id=dispute.id, order=order)
    return "held"


def dispute_closed(obj: dict, *, cause: str) -> str:
    """The dispute is over: `won` releases the held money; `lost` releases it and takes
    the order's money back from its shops, as the bank returned it to the buyer."""
    dispute, order = _dispute_row(obj)
    if dispute.closed_at is not None:
        return "already_closed"
    dispute.status = str(obj.get("status") or "")
    dispute.closed_at = timezone.now()
    dispute.save(update_fields=["status", "closed_at"])
    if order is not None:
        ledger_dispute_close(dispute_id=dispute.id, order=order, lost=dispute.status == "lost")
    return dispute.status
