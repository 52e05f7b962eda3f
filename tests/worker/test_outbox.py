from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from tests.worker.conftest import celery_on_broker
from worker.models import OutboxMessage
from worker.outbox import oldest_unsent_age_seconds, outbox_enqueue, relay_outbox
from worker.tasks import HEARTBEAT_CACHE_KEY

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: the broker is down.
DOWN = "redis://127.0.0.1:1/0"


def heartbeat(origin: str, **kwargs):
    return outbox_enqueue(task="worker.tasks.record_heartbeat", kwargs={"origin": origin}, **kwargs)


def test_work_runs_after_commit_in_process_without_a_broker(django_capture_on_commit_callbacks):
    from django.core.cache import cache

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = heartbeat("checkout")
        assert cache.get(HEARTBEAT_CACHE_KEY) is None
    assert cache.get(HEARTBEAT_CACHE_KEY)["origin"] == "checkout"
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.attempts == 1


def test_a_repeated_dedupe_key_writes_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        first = heartbeat("a", dedupe_key="cause:1")
        second = heartbeat("b", dedupe_key="cause:1")
        other = heartbeat("c", dedupe_key="cause:2")
    assert first is not None and other is not None
    assert second is None
    assert OutboxMessage.objects.count() == 2
    assert len(callbacks) == 2


def test_a_rolled_back_change_leaves_no_work():
    with pytest.raises(RuntimeError), transaction.atomic():
        heartbeat("lost")
        raise RuntimeError("the order could not be placed")
    assert not OutboxMessage.objects.exists()


def test_kwargs_must_be_json():
    with pytest.raises(TypeError), transaction.atomic():
        outbox_enqueue(task="worker.tasks.record_heartbeat", kwargs={"origin": object()})
    assert not OutboxMessage.objects.exists()


def test_broker_down_at_commit_keeps_the_row_for_the_relay(django_capture_on_commit_callbacks):
    with celery_on_broker(DOWN):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            message = heartbeat("while-down")
        message.refresh_from_db()
        assert message.sent_at is None
        assert message.attempts == 1
        assert "OperationalError" in message.last_error
        assert message.next_attempt_at > timezone.now()
        # Not due yet: the relay leaves it alone instead of hammering a dead broker.
        assert relay_outbox() == 0
        OutboxMessage.objects.update(next_attempt_at=timezone.now())
        assert relay_outbox() == 0
        message.refresh_from_db()
        assert message.attempts == 2
        assert message.sent_at is None
    # The broker is back (here: in-process): the relay publishes it.
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert relay_outbox() == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert relay_outbox() == 0


def test_healthz_reports_the_age_of_the_oldest_unsent_row(client):
    assert client.get("/healthz").json()["outbox"] == {
        "status": "ok",
        "oldest_unsent_age_seconds": None,
    }
    OutboxMessage.objects.create(
        task="worker.tasks.record_heartbeat",
        created_at=timezone.now() - timedelta(seconds=90),
    )
    OutboxMessage.objects.create(
        task="worker.tasks.record_heartbeat",
        created_at=timezone.now() - timedelta(seconds=600),
        sent_at=timezone.now(),
    )
    outbox = client.get("/healthz").json()["outbox"]
    assert outbox["status"] == "pending"
    assert 90 <= outbox["oldest_unsent_age_seconds"] < 100
    assert 90 <= oldest_unsent_age_seconds() < 100
