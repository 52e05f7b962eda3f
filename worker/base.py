"""The discipline every task follows, held in one place so no task repeats it.

    from worker.base import worker_task

    @worker_task(
        name="shops.tasks.stock_alert_send",
        key=lambda *, variant_id, stock: f"stock-alert:{variant_id}:{stock}",
    )
    def stock_alert_send(*, variant_id: int, stock: int) -> None:
        services.stock_alert_send(variant_id=variant_id, stock=stock)

What `worker_task` gives a task:
- `acks_late` + `reject_on_worker_lost`: a worker that dies mid-task (SIGKILL, OOM) leaves
  the message on the broker, so the task runs again.
- Idempotency keyed by what the task acts on: with `key=`, the body runs in one database
  transaction together with a `TaskReceipt` row for that key. A second delivery of the
  same work finds the receipt and does nothing; a run that died before commit left no
  receipt and no effect. A task whose work leaves the database (an e-mail, a Stripe
  call) passes no key and guards itself with its own row (see `notification_email_send`).
- Retries only on transient errors (`TRANSIENT_ERRORS`: database connection trouble,
  broker/network errors, `RetryableError`, or any exception with `retryable = True`,
  e.g. `payments.gateway.PaymentGatewayError`), with exponential backoff and full jitter.
  Anything else is a bug or a final answer and is not retried.
- Soft and hard time limits, and the queue it is routed to.
- Its outbox row (if it came from one) stamped done when it ends, so that the relay
  publishes again only what the broker lost (worker.outbox).
"""

from __future__ import annotations

import functools
import logging
import socket
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import kombu.exceptions
import redis
from celery import Task, shared_task, states
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from worker.celery import DECLARED_QUEUES, QUEUES
from worker.models import TaskReceipt
from worker.outbox import outbox_mark_done

logger = logging.getLogger(__name__)


class RetryableError(Exception):
    """A failure worth trying again later (a rate limit, a timeout, a 5xx upstream).
    Higher apps raise or subclass it; an exception with `retryable = True` counts too."""

    retryable = True


TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    kombu.exceptions.OperationalError,
    ConnectionError,
    TimeoutError,
    socket.timeout,
    RetryableError,
)

# Far beyond any redelivery (the broker's visibility timeout is an hour).
RECEIPTS_KEPT_FOR = timedelta(days=30)
DEFAULT_SOFT_TIME_LIMIT = 60
DEFAULT_TIME_LIMIT = 90
DEFAULT_MAX_RETRIES = 8
RETRY_BACKOFF_MAX_SECONDS = 600


class WorkerTask(Task):
    """The base class `worker_task` builds on; usable directly with `@shared_task(base=…)`."""

    acks_late = True
    reject_on_worker_lost = True
    autoretry_for = TRANSIENT_ERRORS
    retry_backoff = True
    retry_backoff_max = RETRY_BACKOFF_MAX_SECONDS
    retry_jitter = True
    max_retries = DEFAULT_MAX_RETRIES
    soft_time_limit = DEFAULT_SOFT_TIME_LIMIT
    time_limit = DEFAULT_TIME_LIMIT
    ignore_result = True
    typing = True

    def after_return(self, status, retval, task_id, args, kwargs, einfo) -> None:
        # Ended for good (not a retry, which comes back under the same id): the outbox
        # row is done. In-process runs are stamped by the relay itself.
        if status not in states.READY_STATES or self.request.is_eager or not task_id:
            return
        try:
            outbox_mark_done(task_id=task_id)
        except (OperationalError, InterfaceError):
            # Not stamped: the relay publishes the work again later and the task, being
            # idempotent, does nothing the second time.
            logger.warning("outbox row not stamped done", extra={"task_id": task_id})


def worker_task(
    *,
    name: str,
    key: Callable[..., str] | None = None,
    queue: str | None = None,
    soft_time_limit: int = DEFAULT_SOFT_TIME_LIMIT,
    time_limit: int = DEFAULT_TIME_LIMIT,
    max_retries: int = DEFAULT_MAX_RETRIES,
) -> Callable[[Callable[..., Any]], WorkerTask]:
    """Register `fn` as a Celery task called with keyword arguments only (ids, not
    objects). `key(**kwargs)` names the work for idempotency; `queue` overrides the
    routing by module of worker/celery.py."""

    def decorate(fn: Callable[..., Any]) -> WorkerTask:
        @functools.wraps(fn)
        def run(**kwargs: Any) -> Any:
            logger.info("task started", extra={"task_kwargs": kwargs})
            try:
                if key is None:
                    return fn(**kwargs)
                return _run_once(task_name=name, key=key(**kwargs), fn=fn, kwargs=kwargs)
            except TRANSIENT_ERRORS:
                raise
            except Exception as exc:
                if getattr(exc, "retryable", False) is True:
                    raise RetryableError(f"{exc.__class__.__name__}: {exc}") from exc
                raise

        options: dict[str, Any] = {
            "base": WorkerTask,
            "name": name,
            "soft_time_limit": soft_time_limit,
            "time_limit": time_limit,
            "max_retries": max_retries,
        }
        if queue:
            if queue not in QUEUES:
                raise ValueError(f"unknown queue {queue!r}; the queues are {QUEUES}")
            DECLARED_QUEUES[name] = queue
        return shared_task(**options)(run)

    return decorate


def _run_once(*, task_name: str, key: str, fn: Callable[..., Any], kwargs: dict) -> Any:
    from celery import current_task

    task_id = (current_task.request.id if current_task else None) or ""
    with transaction.atomic():
        try:
            # On PostgreSQL a twin running at the same moment waits here on the unique
            # index until this transaction ends, then finds the receipt.
            with transaction.atomic():
                TaskReceipt.objects.create(key=key, task=task_name, task_id=task_id)
        except IntegrityError:
            logger.info("task already done, skipped", extra={"idempotency_key": key})
            return None
        result = fn(**kwargs)
    logger.info("task done", extra={"idempotency_key": key})
    return result


def task_receipts_purge(*, kept_for: timedelta = RECEIPTS_KEPT_FOR) -> int:
    """Delete receipts older than `kept_for`: no message can come back that late."""
    deleted, _ = TaskReceipt.objects.filter(completed_at__lt=timezone.now() - kept_for).delete()
    return deleted
