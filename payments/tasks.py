"""Payments tasks, on the `payments` queue (routed by module in worker/celery.py).

Thin: each calls a service. Those that change only the database are idempotent by
their own rows (an event applied once under its lock, ledger rows unique per cause);
those that call Stripe guard themselves with their rows and a Stripe idempotency key,
and a gateway error marked retryable is retried with backoff.
"""

from __future__ import annotations

from payments.services import cod, events, ledger, payouts, reconcile, refunds
from worker.base import worker_task


@worker_task(name="payments.tasks.stripe_event_apply")
def stripe_event_apply(*, event_id: str) -> str:
    return events.stripe_event_apply(event_id=event_id)


@worker_task(name="payments.tasks.ledger_order_paid")
def ledger_order_paid(*, order_id: int) -> None:
    ledger.ledger_order_paid(order_id=order_id)


@worker_task(name="payments.tasks.ledger_shop_order_refunded")
def ledger_shop_order_refunded(*, shop_order_id: int) -> None:
    ledger.ledger_shop_order_refunded(shop_order_id=shop_order_id)


@worker_task(name="payments.tasks.cod_collected")
def cod_collected(*, shop_order_id: int) -> None:
    cod.cod_collected(shop_order_id=shop_order_id)


@worker_task(name="payments.tasks.intent_refund_whole")
def intent_refund_whole(*, order_id: int, intent_id: str, amount: int) -> str:
    return refunds.intent_refund_whole(order_id=order_id, intent_id=intent_id, amount=amount)


@worker_task(name="payments.tasks.intent_refunds_reconcile")
def intent_refunds_reconcile(*, intent_id: str) -> list[str]:
    return refunds.intent_refunds_reconcile(intent_id=intent_id)


@worker_task(name="payments.tasks.reconcile", soft_time_limit=240, time_limit=270)
def reconcile_payments() -> dict:
    """Beat, every five minutes: heals lost webhooks."""
    return reconcile.payments_reconcile()


@worker_task(name="payments.tasks.payouts_weekly", soft_time_limit=600, time_limit=660)
def payouts_weekly() -> int:
    """Beat, weekly: this week's batch; a second run in the same week pays nobody twice."""
    return len(payouts.payouts_run())


@worker_task(name="payments.tasks.payout_transfer")
def payout_transfer(*, payout_id: int) -> bool:
    return payouts.payout_transfer_send(payout_id=payout_id)
