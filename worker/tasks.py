"""Tasks of the worker layer itself."""

from celery import shared_task
from django.core.cache import cache
from django.utils import timezone

HEARTBEAT_CACHE_KEY = "worker:heartbeat"


@shared_task(name="worker.tasks.record_heartbeat", ignore_result=True)
def record_heartbeat(origin: str = "beat") -> str:
    """Stamp the time a worker last ran a task, for /healthz. Idempotent: last write wins."""
    stamp = timezone.now().isoformat()
    cache.set(HEARTBEAT_CACHE_KEY, {"at": stamp, "origin": origin}, timeout=None)
    return stamp
