import time

import pytest
from django.core.cache import cache

from worker.celery import app
from worker.tasks import HEARTBEAT_CACHE_KEY, record_heartbeat


@pytest.mark.parametrize(
    "task_name, queue",
    [
        ("payments.tasks.apply_stripe_event", "payments"),
        ("orders.tasks.expire_reservations", "orders"),
        ("shops.tasks.make_thumbnails", "stock"),
        ("worker.tasks.notifications.send_email", "notifications"),
        ("worker.tasks.record_heartbeat", "default"),
    ],
)
def test_tasks_are_routed_to_their_queue(task_name, queue):
    route = app.amqp.router.route({}, task_name)
    assert route["queue"].name == queue


def test_celery_app_configuration():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert {q.name for q in conf.task_queues} >= {"payments", "orders", "stock", "notifications"}
    assert "worker-heartbeat" in conf.beat_schedule


@pytest.mark.redis
def test_a_task_runs_through_a_real_worker_on_redis(live_worker):
    cache.delete(HEARTBEAT_CACHE_KEY)
    record_heartbeat.delay(origin="real-worker")
    deadline = time.monotonic() + 20
    beat = None
    while time.monotonic() < deadline:
        beat = cache.get(HEARTBEAT_CACHE_KEY)
        if beat:
            break
        time.sleep(0.1)
    assert beat is not None, "the worker never ran the task"
    assert beat["origin"] == "real-worker"
