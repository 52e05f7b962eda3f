"""The floor of `make bench-webhooks`' apply phase: a task that does nothing, with the
discipline every real task has (`worker.base.worker_task`: acks late, retries, time
limits) and on the queue the Stripe events are applied from.

Loaded by the benchmark's worker only (`celery -A worker worker -I bench.webhook_tasks`);
never part of the served product."""

from __future__ import annotations

from worker.base import worker_task


@worker_task(name="bench.webhook_tasks.noop", queue="payments")
def noop(*, event_id: str) -> None:
    """Takes what `payments.tasks.stripe_event_apply` takes, and does nothing with it."""
    return None
