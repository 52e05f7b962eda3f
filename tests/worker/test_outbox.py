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


@pytest.mark.parametrize("dedupe_key", [None, "cause:1"])
def test_the_change_s_own_rows_are_written_with_the_work(
    dedupe_key, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """`written_with`: the change's new rows go in with the outbox row (in the same
    statement, without a dedupe key), and the work still runs after commit."""
    from django.core.cache import cache

    due = timezone.now()
    own = [OutboxMessage(task="own.row", kwargs={"n": n}, next_attempt_at=due) for n in range(2)]
    one_statement = dedupe_key is None
    with (
        django_capture_on_commit_callbacks(execute=True),
        transaction.atomic(),
        django_assert_max_num_queries(1 if one_statement else 5),
    ):
        message = heartbeat("together", dedupe_key=dedupe_key, written_with=((own, False),))
    assert all(row.pk for row in own) and message.pk not in {row.pk for row in own}
    assert sorted(OutboxMessage.objects.values_list("task", flat=True)) == [
        "own.row",
        "own.row",
        "worker.tasks.record_heartbeat",
    ]
    assert cache.get(HEARTBEAT_CACHE_KEY)["origin"] == "together"


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
    from worker.tasks import relay_outbox_task

    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    assert relay_outbox_task.apply().get() == 1
    message.refresh_from_db()
    assert message.sent_at is not None
    assert relay_outbox() == 0


def test_sent_work_never_done_is_published_again_after_the_redelivery_window(settings):
    """The broker lost what it took (a Redis restart): the relay publishes it again,
    not before OUTBOX_REDELIVER_AFTER_SECONDS, and never work that ended."""
    from django.core.cache import cache

    settings.OUTBOX_REDELIVER_AFTER_SECONDS = 3600
    now = timezone.now()
    lost = heartbeat_row("lost", sent_at=now - timedelta(hours=2))
    late = heartbeat_row("late", sent_at=now - timedelta(minutes=5))
    done = heartbeat_row("done", sent_at=now - timedelta(hours=2), done_at=now)

    assert relay_outbox() == 1
    assert cache.get(HEARTBEAT_CACHE_KEY)["origin"] == "lost"
    lost.refresh_from_db()
    assert lost.done_at is not None and lost.attempts == 2
    assert lost.sent_at > now
    late.refresh_from_db()
    assert late.done_at is None and late.attempts == 1
    assert relay_outbox() == 0
    assert OutboxMessage.objects.get(pk=done.pk).attempts == 1


def heartbeat_row(origin: str, **fields) -> OutboxMessage:
    return OutboxMessage.objects.create(
        task="worker.tasks.record_heartbeat", kwargs={"origin": origin}, attempts=1, **fields
    )


def test_healthz_reports_the_age_of_the_oldest_unsent_row(client):
    assert client.get("/healthz").json()["outbox"] == {
        "status": "ok",
        "oldest_unsent_age_seconds": None,
    }
    OutboxMessage.objects.create(
        task="worker.tasks.record_heartbeat",
        created_at=timezone.now() - timedelta(seconds=5),
    )
    OutboxMessage.objects.create(
        task="worker.tasks.record_heartbeat",
        created_at=timezone.now() - timedelta(seconds=600),
        sent_at=timezone.now(),
    )
    body = client.get("/healthz").json()
    assert body["outbox"]["status"] == "pending"
    assert 5 <= body["outbox"]["oldest_unsent_age_seconds"] < 15
    assert body["status"] == "ok"

    OutboxMessage.objects.create(
        task="worker.tasks.record_heartbeat",
        created_at=timezone.now() - timedelta(seconds=90),
    )
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["outbox"]["status"] == "lagging"
    assert 90 <= body["outbox"]["oldest_unsent_age_seconds"] < 100
    assert body["status"] == "degraded"
    assert 90 <= oldest_unsent_age_seconds() < 100


def test_old_done_rows_and_receipts_are_purged_but_never_work_not_done():
    from worker.models import TaskReceipt
    from worker.tasks import purge_worker_tables

    long_ago = timezone.now() - timedelta(days=40)
    old_sent = OutboxMessage.objects.create(
        task="t", created_at=long_ago, sent_at=long_ago, done_at=long_ago
    )
    old_unsent = OutboxMessage.objects.create(task="t", created_at=long_ago)
    # Sent, never done: the broker lost it and the relay publishes it again.
    old_undone = OutboxMessage.objects.create(task="t", created_at=long_ago, sent_at=long_ago)
    recent = OutboxMessage.objects.create(task="t", sent_at=timezone.now(), done_at=timezone.now())
    TaskReceipt.objects.create(key="old", task="t", completed_at=long_ago)
    TaskReceipt.objects.create(key="new", task="t")

    assert purge_worker_tables.apply().get() == {"outbox": 1, "receipts": 1}

    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {
        old_unsent.pk,
        old_undone.pk,
        recent.pk,
    }
    assert not OutboxMessage.objects.filter(pk=old_sent.pk).exists()
    assert list(TaskReceipt.objects.values_list("key", flat=True)) == ["new"]


def test_task_modules_are_imported_once_per_process_whatever_the_threads(monkeypatch):
    """Each import of the task modules runs Django's model checks again: the first
    publishes of several threads (and any publish of a task no module declares) must not
    each pay for one."""
    import threading

    from worker import outbox
    from worker.celery import app

    imports = []
    monkeypatch.setattr(outbox, "_TASK_MODULES_IMPORTED", threading.Event())
    monkeypatch.setattr(app.loader, "import_default_modules", lambda: imports.append(1))
    start = threading.Barrier(4)

    def first_publish():
        start.wait()
        outbox._registered_task("no.such.task", required=False)

    threads = [threading.Thread(target=first_publish) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    outbox._registered_task("still.no.such.task", required=False)
    assert imports == [1]
