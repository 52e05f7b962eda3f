"""Tasks of the worker layer itself: the heartbeat, the outbox relay, notification e-mail."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

from marketplace.accounts.tokens import expired_tokens_purge
from worker.base import task_receipts_purge, worker_task
from worker.outbox import outbox_purge_sent, relay_outbox

HEARTBEAT_CACHE_KEY = "worker:heartbeat"


@shared_task(name="worker.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat(origin: str = "beat") -> str:
    """Stamp the time a worker last ran a task, for /healthz. Idempotent: last write wins."""
    stamp = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, {"at": stamp, "origin": origin}, timeout=None)
    return stamp


# Idempotent by construction: rows are claimed with SKIP LOCKED and stamped when sent.
@worker_task(name="worker.tasks.relay_outbox", soft_time_limit=25, time_limit=30)
def relay_outbox_task() -> int:
    return relay_outbox()


@worker_task(name="worker.tasks.purge_worker_tables")
def purge_worker_tables() -> dict:
    """Daily: drop old sent outbox rows and task receipts. Deleting twice is harmless."""
    return {"outbox": outbox_purge_sent(), "receipts": task_receipts_purge()}


@worker_task(name="worker.tasks.purge_expired_tokens")
def purge_expired_tokens() -> int:
    """Daily: forget expired refresh tokens. Deleting twice is harmless."""
    return expired_tokens_purge()


# Registers the notification tasks whenever this package is autodiscovered.
from worker.tasks import notifications  # noqa: E402, F401
