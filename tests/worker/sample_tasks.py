"""Tasks the worker tests run through real workers. They use the same `worker_task`
discipline as the project's tasks; their effect (a mark appended to a user's name) is not
idempotent by itself, so running it twice would show."""

import os
import time

import redis
from celery import signals
from django.conf import settings
from django.db import OperationalError, transaction
from django.db.models import F, Value
from django.db.models.functions import Concat

from marketplace.accounts.models import User
from worker.base import worker_task


def _redis() -> redis.Redis:
    return redis.Redis.from_url(settings.REDIS_URL)


def _append_mark(user_id: int, mark: str) -> None:
    User.objects.filter(pk=user_id).update(full_name=Concat(F("full_name"), Value(mark)))


@worker_task(
    name="tests.worker.flaky_mark", key=lambda *, user_id, mark, failures: f"flaky:{user_id}"
)
def flaky_mark(*, user_id: int, mark: str, failures: int) -> int:
    """Fails with a database connection error `failures` times, then appends the mark."""
    attempt = _redis().incr(f"tests:flaky:{user_id}")
    if attempt <= failures:
        raise OperationalError("server closed the connection unexpectedly")
    _append_mark(user_id, mark)
    return attempt


@worker_task(
    name="tests.worker.killable_mark",
    key=lambda *, user_id, mark, kill_point: f"killable:{user_id}",
)
def killable_mark(*, user_id: int, mark: str, kill_point: str) -> None:
    """Appends the mark; on its first run it stops (to be killed) before or after commit."""
    client = _redis()
    attempt = client.incr(f"tests:killable:{user_id}:attempts")
    _append_mark(user_id, mark)
    client.set(f"tests:killable:{user_id}:pid:{attempt}", os.getpid())
    if attempt == 1:
        if kill_point == "before_commit":
            time.sleep(30)
        else:
            # Runs once the effect and its receipt are committed, before the ack.
            transaction.on_commit(lambda: time.sleep(30))


@worker_task(name="tests.worker.payment_probe", queue="payments")
def payment_probe(*, token: str) -> None:
    _redis().set(f"tests:payment_probe:{token}", "done")


@worker_task(name="tests.worker.slow_notification", queue="notifications")
def slow_notification(*, n: int) -> None:
    _redis().incr("tests:slow_notification:done")
    time.sleep(0.05)


@signals.task_prerun.connect
def count_deliveries(sender=None, task_id=None, task=None, kwargs=None, **extra):
    # Counts every time a worker starts the task, even when its body is then skipped.
    if task is not None and task.name == "tests.worker.killable_mark":
        _redis().incr(f"tests:killable:{kwargs['user_id']}:runs")
