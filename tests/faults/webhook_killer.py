"""Loaded into the drill's worker processes (`celery worker -I`): kills the whole worker
(every process of it, as the OOM killer or a lost machine would) at a chosen point of
applying a chosen Stripe event. The drill names the events in Redis sets:

- `faults:kill:before_commit`: once the event's handler has written its effects, inside
  the transaction that also marks the event applied (so nothing of it commits);
- `faults:kill:after_commit`: once the task has committed and returned, before the
  broker is told (acks are late: the message is given out again).

An event is taken out of its set before the kill, so its next delivery runs through.
Each kill is recorded in the list `faults:killed`."""

from __future__ import annotations

import os
import signal

import redis
from celery import signals
from django.conf import settings

from payments.services import events

APPLY_TASK = "payments.tasks.stripe_event_apply"
_redis = redis.Redis.from_url(settings.REDIS_URL)
_handle_succeeded = events.EVENT_HANDLERS["payment_intent.succeeded"]


def _kill_if_named(point: str, event_id: str) -> None:
    if _redis.srem(f"faults:kill:{point}", event_id):
        _redis.rpush("faults:killed", f"{point}:{event_id}")
        os.killpg(os.getpgid(0), signal.SIGKILL)


def _succeeded_then_maybe_killed(obj: dict, *, cause: str) -> str:
    result = _handle_succeeded(obj, cause=cause)
    _kill_if_named("before_commit", cause)
    return result


events.EVENT_HANDLERS["payment_intent.succeeded"] = _succeeded_then_maybe_killed


@signals.task_postrun.connect
def _maybe_killed_after_commit(task=None, kwargs=None, **_):
    if task is not None and task.name == APPLY_TASK:
        _kill_if_named("after_commit", kwargs["event_id"])
