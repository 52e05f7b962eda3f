"""The worker layer against a real Redis and real workers: a broker outage, duplicate
relays, retries, a worker killed mid-task, and queues that do not starve each other.

Each test owns a redis-server on its own port (stopped and started at will) and points
the Celery app at it; the subprocess-worker tests also need PostgreSQL, since a second
process must see the test database."""

import json
import os
import signal
import threading
import time

import pytest
from django.core import mail
from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path
from django.utils import timezone

import tests.worker.sample_tasks  # noqa: F401  (the in-process worker runs them)
from tests.accounts.factories import UserFactory
from tests.worker.conftest import WorkerProcess, in_process_worker, wait_for
from worker.models import Notification, NotificationKind, OutboxMessage, TaskReceipt
from worker.notifications import notify
from worker.outbox import outbox_enqueue, relay_message, relay_outbox

pytestmark = pytest.mark.redis


def pay_order(request, order_number: int):
    """Stands in for a payments endpoint: the change and its notification, one transaction."""
    with transaction.atomic():
        notify(
            recipient=request.user,
            kind=NotificationKind.ORDER_PAID,
            context={"order_number": order_number, "total": 250000},
            dedupe_key=f"order-paid:{order_number}",
        )
    return JsonResponse({"order": order_number, "status": "paid"}, status=201)


urlpatterns = [path("orders/<int:order_number>/pay/", pay_order)]


def queued(server, queue: str) -> list[dict]:
    return [json.loads(raw) for raw in server.client().lrange(queue, 0, -1)]


@pytest.mark.urls(__name__)
def test_broker_down_during_a_request_then_work_is_delivered_when_it_returns(
    private_broker, client, buyer
):
    client.force_login(buyer)
    private_broker.stop()

    started = time.monotonic()
    response = client.post("/orders/77/pay/")

    assert response.status_code == 201
    assert time.monotonic() - started < 3, "a dead broker must not hold the request up"
    assert Notification.objects.filter(recipient=buyer, kind="order_paid").count() == 1
    message = OutboxMessage.objects.get()
    assert message.sent_at is None
    assert message.attempts == 1

    private_broker.start()
    # What the beat relay does every few seconds, until the row is due and goes out.
    assert wait_for(lambda: relay_outbox() == 1, timeout=5, interval=0.2)
    message.refresh_from_db()
    assert message.sent_at is not None

    with in_process_worker(["notifications"]):
        assert wait_for(lambda: len(mail.outbox) == 1, timeout=10)
    assert mail.outbox[0].to == [buyer.email]
    assert "#77" in mail.outbox[0].subject
    assert relay_outbox() == 0


@pytest.mark.postgres
def test_relays_racing_publish_each_row_once(private_broker):
    OutboxMessage.objects.bulk_create(
        OutboxMessage(task="tests.worker.payment_probe", kwargs={"token": str(i)})
        for i in range(30)
    )
    ids = list(OutboxMessage.objects.values_list("pk", flat=True))
    published = []
    start = threading.Barrier(4)

    def run(relay):
        try:
            start.wait()
            published.append(relay())
        finally:
            connection.close()

    def each_row_now():
        return sum(relay_message(message_id=pk) for pk in ids)

    threads = [
        threading.Thread(target=run, args=(lambda: relay_outbox(batch_size=4),)) for _ in range(3)
    ] + [threading.Thread(target=run, args=(each_row_now,))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)

    assert sum(published) == 30
    messages = queued(private_broker, "payments")
    task_ids = [m["headers"]["id"] for m in messages]
    assert len(task_ids) == 30
    assert sorted(task_ids) == sorted(f"outbox-{pk}" for pk in ids)
    assert not OutboxMessage.objects.filter(sent_at__isnull=True).exists()
    # A later relay finds nothing to send.
    assert relay_outbox() == 0
    assert len(queued(private_broker, "payments")) == 30


def test_a_task_failing_with_a_transient_error_is_retried_and_succeeds(private_broker):
    user = UserFactory(full_name="Võ Thị Sáu")
    with in_process_worker(["default"]):
        with transaction.atomic():
            outbox_enqueue(
                task="tests.worker.flaky_mark",
                kwargs={"user_id": user.pk, "mark": "✓", "failures": 2},
            )

        def marked():
            user.refresh_from_db()
            return user.full_name.endswith("✓")

        assert wait_for(marked, timeout=12, interval=0.1)
    assert user.full_name == "Võ Thị Sáu✓"
    assert int(private_broker.client().get(f"tests:flaky:{user.pk}")) == 3
    assert TaskReceipt.objects.filter(key=f"flaky:{user.pk}").count() == 1


@pytest.mark.postgres
@pytest.mark.parametrize("kill_point", ["before_commit", "after_commit"])
def test_a_worker_killed_mid_task_runs_it_again_with_the_effect_once(private_broker, kill_point):
    user = UserFactory(full_name="Trần Hưng")
    client = private_broker.client()
    worker = WorkerProcess(redis_url=private_broker.url, queues="default")
    try:
        with transaction.atomic():
            outbox_enqueue(
                task="tests.worker.killable_mark",
                kwargs={"user_id": user.pk, "mark": "#", "kill_point": kill_point},
            )
        pid = wait_for(lambda: client.get(f"tests:killable:{user.pk}:pid:1"), timeout=15)
        assert pid, worker.output()
        if kill_point == "after_commit":
            # The pid is written just before the commit: wait for the commit itself.
            def committed():
                user.refresh_from_db()
                return user.full_name == "Trần Hưng#"

            assert wait_for(committed, timeout=5), "the first run committed its effect"
        os.kill(int(pid), signal.SIGKILL)

        def ran_again_and_acked():
            runs = int(client.get(f"tests:killable:{user.pk}:runs") or 0)
            return runs >= 2 and client.llen("default") == 0 and not client.hlen("unacked")

        assert wait_for(ran_again_and_acked, timeout=15, interval=0.1), worker.output()
    finally:
        worker.stop()
    user.refresh_from_db()
    assert user.full_name == "Trần Hưng#"
    assert int(client.get(f"tests:killable:{user.pk}:runs")) == 2
    assert TaskReceipt.objects.filter(key=f"killable:{user.pk}").count() == 1


@pytest.mark.postgres
def test_a_whole_worker_killed_mid_task_leaves_the_task_to_the_next_worker(private_broker):
    user = UserFactory(full_name="Lý Thường Kiệt")
    client = private_broker.client()
    # The broker gives an unacknowledged message out again after this many seconds.
    visibility = {"CELERY_VISIBILITY_TIMEOUT": "2"}
    first = WorkerProcess(redis_url=private_broker.url, queues="default", **visibility)
    try:
        with transaction.atomic():
            outbox_enqueue(
                task="tests.worker.killable_mark",
                kwargs={"user_id": user.pk, "mark": "#", "kill_point": "after_commit"},
            )
        assert wait_for(lambda: client.get(f"tests:killable:{user.pk}:pid:1"), timeout=15), (
            first.output()
        )
        os.killpg(first.process.pid, signal.SIGKILL)
        first.process.wait(timeout=5)
    finally:
        first.stop()
    assert client.hlen("unacked") == 1, "the dead worker's message is still the broker's"
    time.sleep(2.2)

    second = WorkerProcess(redis_url=private_broker.url, queues="default", **visibility)
    try:

        def ran_again_and_acked():
            runs = int(client.get(f"tests:killable:{user.pk}:runs") or 0)
            return runs >= 2 and client.llen("default") == 0 and not client.hlen("unacked")

        assert wait_for(ran_again_and_acked, timeout=15, interval=0.1), second.output()
    finally:
        second.stop()
    user.refresh_from_db()
    assert user.full_name == "Lý Thường Kiệt#"
    assert int(client.get(f"tests:killable:{user.pk}:runs")) == 2


def test_a_notifications_backlog_does_not_hold_up_payments(private_broker):
    with transaction.atomic():
        for n in range(100):
            outbox_enqueue(task="tests.worker.slow_notification", kwargs={"n": n})
    assert private_broker.client().llen("notifications") == 100

    # A worker for payments only: the backlog is not in its way at all.
    with in_process_worker(["payments"]):
        with transaction.atomic():
            outbox_enqueue(task="tests.worker.payment_probe", kwargs={"token": "alone"})
        assert wait_for(
            lambda: private_broker.client().get("tests:payment_probe:alone"), timeout=10
        )
    assert private_broker.client().llen("notifications") == 100

    # One worker on every queue (`make worker`): payments is served between notifications,
    # not after the 100 of them (5 s of work).
    with in_process_worker(["payments", "orders", "stock", "notifications", "default"]):
        assert wait_for(
            lambda: private_broker.client().get("tests:slow_notification:done"), timeout=10
        )
        with transaction.atomic():
            outbox_enqueue(task="tests.worker.payment_probe", kwargs={"token": "shared"})
        assert wait_for(
            lambda: private_broker.client().get("tests:payment_probe:shared"), timeout=10
        )
        done_when_paid = int(private_broker.client().get("tests:slow_notification:done"))
    assert done_when_paid < 30, f"{done_when_paid} notifications ran before the payment"


def test_outbox_rows_are_stamped_when_published(private_broker):
    with transaction.atomic():
        message = outbox_enqueue(task="tests.worker.payment_probe", kwargs={"token": "x"})
    message.refresh_from_db()
    assert message.sent_at is not None
    assert message.sent_at <= timezone.now()
    assert [m["headers"]["id"] for m in queued(private_broker, "payments")] == [
        f"outbox-{message.pk}"
    ]
