"""The transactional outbox: background work that a change needs is written in the
change's own transaction, then published to Celery by a relay.

    with transaction.atomic():
        order.save()
        outbox_enqueue(task="orders.tasks.send_receipt", kwargs={"order_id": order.pk},
                       dedupe_key=f"order-receipt:{order.pk}")

After commit an immediate attempt publishes the row (from memory, then one UPDATE stamps
it); if the broker is down the request still succeeds and the `worker.tasks.relay_outbox`
beat task publishes it later. The relay leaves new rows to the immediate attempt for
IMMEDIATE_ATTEMPT_GRACE and claims due rows with `SELECT … FOR UPDATE SKIP LOCKED`, so two
relays never publish the same row; a row is stamped `sent_at` once the broker accepted
it. Delivery to the task is at-least-once (a crash between publish and stamp publishes
again): tasks are idempotent.

The broker may still lose what it accepted (a Redis restart without persistence forgets
its queues, unacknowledged messages included). The task stamps its row `done_at` when it
ends (`outbox_mark_done`, from the worker's task class); a row sent more than
OUTBOX_REDELIVER_AFTER_SECONDS ago and not done is published again by the relay, under
the same task id.

With no broker (`make run`, the tests) tasks run in-process after commit.
"""

from __future__ import annotations

import json
import logging
import socket
import threading
from datetime import timedelta

import kombu.exceptions
import redis
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from marketplace.core.db import models_insert_together, prepared_cursor, quoted_table
from worker.celery import DECLARED_QUEUES, app
from worker.models import OutboxMessage

logger = logging.getLogger(__name__)

# What a publish raises when the broker cannot be reached: the row waits for the relay.
BROKER_ERRORS = (
    kombu.exceptions.OperationalError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    socket.timeout,
    OSError,
)
RELAY_BATCH_SIZE = 100
RELAY_MAX_BACKOFF_SECONDS = 300
# Sent rows are kept a while for tracing a task back to its cause, then purged.
SENT_ROWS_KEPT_FOR = timedelta(days=7)
# How long the beat relay leaves a new row to the on-commit attempt of the process that
# wrote it (normally done within milliseconds of the commit).
IMMEDIATE_ATTEMPT_GRACE = timedelta(seconds=30)
# Every task published from the outbox carries this task id prefix and its row's id.
OUTBOX_TASK_ID_PREFIX = "outbox-"
_TASK_IMPORT_LOCK = threading.Lock()
_TASK_MODULES_IMPORTED = threading.Event()


def outbox_enqueue(
    *,
    task: str,
    kwargs: dict,
    dedupe_key: str | None = None,
    queue: str | None = None,
    written_with: tuple[tuple[list, bool], ...] = (),
) -> OutboxMessage | None:
    """Record that `task(**kwargs)` must run once this transaction commits.

    Call it inside the transaction that makes the change (`transaction.atomic`); the row
    commits or rolls back with it. `kwargs` must be JSON-serialisable (pass ids, not
    objects). A `dedupe_key` already used (by any earlier enqueue) makes this a no-op
    that returns None. `queue` overrides the task's routing. `written_with`: the
    change's own new rows, groups as `models_insert_together` takes them, written in the
    same statement as the outbox row (before it, with a `dedupe_key`).

    Raises TypeError if kwargs is not JSON-serialisable (nothing is written then).
    """
    json.dumps(kwargs)
    # Not due for the beat relay yet: the on-commit attempt below publishes it first; the
    # relay takes it only if that attempt failed (it sets its own retry time) or never
    # came (the process died between commit and publish).
    due = timezone.now() + IMMEDIATE_ATTEMPT_GRACE
    if dedupe_key is None:
        # Nothing unique to collide with: no savepoint needed (two statements saved). Every
        # checkout writes one, so the statement is prepared rather than compiled each time.
        message = OutboxMessage(task=task, kwargs=kwargs, queue=queue or "", next_attempt_at=due)
        models_insert_together(*written_with, ([message], False))
    else:
        models_insert_together(*written_with)
        if OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
            return None
        try:
            # A savepoint, so a concurrent twin losing the race leaves the caller's
            # transaction usable.
            with transaction.atomic():
                message = OutboxMessage.objects.create(
                    task=task,
                    kwargs=kwargs,
                    dedupe_key=dedupe_key,
                    queue=queue or "",
                    next_attempt_at=due,
                )
        except IntegrityError:
            return None
    transaction.on_commit(lambda: _relay_fresh(message))
    return message


def _relay_fresh(message: OutboxMessage) -> bool:
    """The on-commit attempt for a row this process has just written: publish it from
    memory and stamp it in one statement, without the relay's lock (the beat relay leaves
    the row alone for IMMEDIATE_ATTEMPT_GRACE). Should this attempt take longer than
    that, the relay may publish the row too: delivery is at-least-once anyway, and tasks
    are idempotent. Never raises a broker error; returns whether it went out."""
    try:
        publish(message)
    except BrokerUnavailable as exc:
        attempts = message.attempts + 1
        backoff = min(2 ** (attempts - 1), RELAY_MAX_BACKOFF_SECONDS)
        OutboxMessage.objects.filter(pk=message.pk, sent_at__isnull=True).update(
            attempts=F("attempts") + 1,
            last_error=str(exc)[:2000],
            next_attempt_at=timezone.now() + timedelta(seconds=backoff),
        )
        logger.warning(
            "outbox publish failed, the relay will retry",
            extra={"outbox_id": message.pk, "task_name": message.task, "error": str(exc)},
        )
        return False
    now = timezone.now()
    with prepared_cursor() as cursor:
        # Run in-process (no broker), the task has already ended. A worker may have
        # stamped `done_at` before this: kept.
        cursor.execute(
            f"UPDATE {quoted_table(OutboxMessage)} SET attempts = attempts + 1, sent_at = %s,"
            " done_at = COALESCE(done_at, %s) WHERE id = %s AND sent_at IS NULL",
            [now, now if app.conf.task_always_eager else None, message.pk],
        )
    logger.info(
        "outbox message published", extra={"outbox_id": message.pk, "task_name": message.task}
    )
    return True


class BrokerUnavailable(Exception):
    """The broker did not take the message; the row stays for the relay."""


def publish(message: OutboxMessage) -> None:
    """Hand one outbox row to Celery (or run it here when there is no broker).

    Raises BrokerUnavailable when the broker cannot take it. In-process, what the task
    raises propagates only if CELERY_TASK_EAGER_PROPAGATES (the tests) says so."""
    task_id = f"{OUTBOX_TASK_ID_PREFIX}{message.pk}"
    if app.conf.task_always_eager:
        registered = _registered_task(message.task)
        registered.apply(
            kwargs=message.kwargs, task_id=task_id, throw=app.conf.task_eager_propagates
        )
        return
    options = {"task_id": task_id, "retry": False}
    _registered_task(message.task, required=False)  # loads its module: its declared queue
    queue = message.queue or DECLARED_QUEUES.get(message.task)
    if queue:
        options["queue"] = queue
    try:
        app.send_task(message.task, kwargs=message.kwargs, **options)
    except BROKER_ERRORS as exc:
        raise BrokerUnavailable(f"{exc.__class__.__name__}: {exc}") from exc


def _registered_task(name: str, *, required: bool = True):
    task = app.tasks.get(name)
    if task is None and not _TASK_MODULES_IMPORTED.is_set():
        # Task modules are discovered lazily; a web process may not have loaded them yet.
        # One thread at a time: a second thread used to get back from the import while
        # the first was still registering, and found no such task (a LookupError for an
        # order already committed; in production, a message without its declared queue).
        # Once per process: each import runs Django's model checks again (a tenth of a
        # second), which every thread's first publish used to pay.
        with _TASK_IMPORT_LOCK:
            if not _TASK_MODULES_IMPORTED.is_set():
                app.loader.import_default_modules()
                _TASK_MODULES_IMPORTED.set()
        task = app.tasks.get(name)
    if task is None and required:
        raise LookupError(f"no Celery task named {name!r}")
    return task


def relay_message(*, message_id: int) -> bool:
    """The immediate, on-commit attempt to publish one row. Never raises a broker error
    (the request that wrote the row has already succeeded); returns whether it went out."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True)
            .first()
        )
        if message is None:
            # Already sent, or a relay holds it right now.
            return False
        return _publish_and_mark(message)


def relay_outbox(*, batch_size: int = RELAY_BATCH_SIZE) -> int:
    """Publish every unsent row that is due, oldest first, then again every row the
    broker took over OUTBOX_REDELIVER_AFTER_SECONDS ago whose task never ended (the
    broker lost it); returns how many went out.

    Stops at the first broker error (the others would fail the same way) and leaves the
    rest to the next run."""
    unsent = (
        Q(sent_at__isnull=True, next_attempt_at__lte=timezone.now()),
        ("next_attempt_at", "pk"),
    )
    lost_before = timezone.now() - timedelta(seconds=settings.OUTBOX_REDELIVER_AFTER_SECONDS)
    lost = (
        Q(sent_at__isnull=False, done_at__isnull=True, sent_at__lt=lost_before),
        ("sent_at", "pk"),
    )
    sent = 0
    for condition, order in (unsent, lost):
        while True:
            with transaction.atomic():
                due = list(
                    OutboxMessage.objects.select_for_update(skip_locked=True)
                    .filter(condition)
                    .order_by(*order)[:batch_size]
                )
                if not due:
                    break
                for message in due:
                    if message.sent_at is not None:
                        logger.warning(
                            "outbox message sent but never done, published again",
                            extra={"outbox_id": message.pk, "task_name": message.task},
                        )
                    if not _publish_and_mark(message):
                        return sent
                    sent += 1
    return sent


def outbox_mark_done(*, task_id: str) -> bool:
    """Stamp the outbox row a task came from as done (its task ended); returns whether
    `task_id` named a row not yet stamped. Task ids not from the outbox are ignored."""
    if not task_id.startswith(OUTBOX_TASK_ID_PREFIX):
        return False
    number = task_id.removeprefix(OUTBOX_TASK_ID_PREFIX)
    if not number.isdigit():
        return False
    return bool(
        OutboxMessage.objects.filter(pk=int(number), done_at__isnull=True).update(
            done_at=timezone.now()
        )
    )


def _publish_and_mark(message: OutboxMessage) -> bool:
    try:
        publish(message)
    except BrokerUnavailable as exc:
        message.attempts += 1
        message.last_error = str(exc)[:2000]
        backoff = min(2 ** (message.attempts - 1), RELAY_MAX_BACKOFF_SECONDS)
        message.next_attempt_at = timezone.now() + timedelta(seconds=backoff)
        message.save(update_fields=["attempts", "last_error", "next_attempt_at"])
        logger.warning(
            "outbox publish failed, the relay will retry",
            extra={"outbox_id": message.pk, "task_name": message.task, "error": str(exc)},
        )
        return False
    message.attempts += 1
    message.sent_at = timezone.now()
    fields = ["attempts", "sent_at"]
    if app.conf.task_always_eager:
        # Run in-process: the task has ended.
        message.done_at = message.sent_at
        fields.append("done_at")
    message.save(update_fields=fields)
    logger.info(
        "outbox message published", extra={"outbox_id": message.pk, "task_name": message.task}
    )
    return True


def oldest_unsent_age_seconds() -> float | None:
    """Age of the oldest row the broker has not received yet (None when all are sent)."""
    oldest = OutboxMessage.objects.filter(sent_at__isnull=True).aggregate(oldest=Min("created_at"))
    if oldest["oldest"] is None:
        return None
    return round((timezone.now() - oldest["oldest"]).total_seconds(), 1)


def outbox_purge_sent(*, kept_for: timedelta = SENT_ROWS_KEPT_FOR) -> int:
    """Delete rows whose task ended longer ago than `kept_for`; rows not yet done (unsent,
    or sent and not ended) are never deleted."""
    deleted, _ = OutboxMessage.objects.filter(
        done_at__isnull=False, done_at__lt=timezone.now() - kept_for
    ).delete()
    return deleted
