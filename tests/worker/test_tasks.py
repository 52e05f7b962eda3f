"""The discipline `worker_task` gives every task, run in-process (eager)."""

import pytest
from django.db import OperationalError
from django.db.models import F, Value
from django.db.models.functions import Concat

from marketplace.accounts.models import User
from worker.base import TRANSIENT_ERRORS, RetryableError, WorkerTask, worker_task
from worker.celery import app
from worker.models import TaskReceipt

pytestmark = pytest.mark.django_db

attempts: dict[str, int] = {}


class GatewayError(Exception):
    """Shaped like payments.gateway.PaymentGatewayError, which worker/ cannot import."""

    def __init__(self, message, *, retryable):
        super().__init__(message)
        self.retryable = retryable


def _mark(user_id: int, mark: str) -> None:
    User.objects.filter(pk=user_id).update(full_name=Concat(F("full_name"), Value(mark)))


@worker_task(name="tests.worker.eager.mark_once", key=lambda *, user_id, mark: f"mark:{user_id}")
def mark_once(*, user_id: int, mark: str) -> str:
    _mark(user_id, mark)
    return "marked"


@worker_task(
    name="tests.worker.eager.fails_then_marks", key=lambda *, user_id, error: f"f:{user_id}"
)
def fails_then_marks(*, user_id: int, error: str) -> int:
    attempts[error] = attempts.get(error, 0) + 1
    # The effect is written before the failure: a retry must not keep it twice.
    _mark(user_id, "!")
    if attempts[error] <= 2:
        if error == "database":
            raise OperationalError("could not connect to server")
        if error == "rate_limited":
            raise GatewayError("rate limited", retryable=True)
        if error == "declined":
            raise GatewayError("card declined", retryable=False)
        if error == "bug":
            raise ValueError("a bug is not retried")
        raise RetryableError("upstream 503")
    return attempts[error]


@pytest.fixture(autouse=True)
def _fresh_attempts():
    attempts.clear()


def name_of(user):
    user.refresh_from_db()
    return user.full_name


def test_a_task_acting_twice_on_the_same_object_has_its_effect_once(buyer):
    before = buyer.full_name
    assert mark_once.apply(kwargs={"user_id": buyer.pk, "mark": "*"}).get() == "marked"
    assert mark_once.apply(kwargs={"user_id": buyer.pk, "mark": "*"}).get() is None
    assert name_of(buyer) == before + "*"
    assert TaskReceipt.objects.filter(key=f"mark:{buyer.pk}").count() == 1


@pytest.fixture
def eager_retries():
    # Celery re-applies an eager retry with the app's propagate setting; the test settings
    # propagate, which would surface the first failure instead of retrying.
    saved = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    try:
        yield
    finally:
        app.conf.task_eager_propagates = saved


@pytest.mark.parametrize("error", ["database", "rate_limited", "upstream"])
def test_transient_errors_are_retried_until_the_task_succeeds(buyer, error, eager_retries):
    before = buyer.full_name
    assert (
        fails_then_marks.apply(kwargs={"user_id": buyer.pk, "error": error}, throw=False).get() == 3
    )
    assert attempts[error] == 3
    # The failed attempts rolled back their partial effect.
    assert name_of(buyer) == before + "!"


@pytest.mark.parametrize("error, raised", [("declined", GatewayError), ("bug", ValueError)])
def test_final_errors_are_not_retried_and_leave_no_effect(buyer, error, raised, eager_retries):
    before = buyer.full_name
    result = fails_then_marks.apply(kwargs={"user_id": buyer.pk, "error": error}, throw=False)
    assert result.failed()
    assert raised.__name__ in repr(result.result)
    assert attempts[error] == 1
    assert name_of(buyer) == before
    assert not TaskReceipt.objects.exists()


def test_every_worker_task_carries_the_discipline():
    app.loader.import_default_modules()
    for task in (mark_once, app.tasks["worker.tasks.notifications.send_email"]):
        assert isinstance(task, WorkerTask)
        assert task.acks_late is True
        assert task.reject_on_worker_lost is True
        assert set(task.autoretry_for) == set(TRANSIENT_ERRORS)
        assert task.retry_backoff and task.retry_jitter
        assert 0 < task.soft_time_limit < task.time_limit
    assert OperationalError in TRANSIENT_ERRORS
    assert ValueError not in TRANSIENT_ERRORS


def test_a_declared_queue_routes_the_task():
    import tests.worker.sample_tasks  # noqa: F401  (declares its queues)

    route = app.amqp.router.route
    assert route({}, "tests.worker.payment_probe")["queue"].name == "payments"
    assert route({}, "tests.worker.slow_notification")["queue"].name == "notifications"
    assert route({}, "worker.tasks.relay_outbox")["queue"].name == "default"
    with pytest.raises(ValueError, match="unknown queue"):
        worker_task(name="tests.worker.nowhere", queue="nowhere")(lambda: None)


def test_the_outbox_relay_is_on_the_beat_schedule():
    app.loader.import_default_modules()
    entry = app.conf.beat_schedule["outbox-relay"]
    assert entry["task"] == "worker.tasks.relay_outbox"
    assert entry["schedule"] <= 10
    # Every scheduled task exists: a typo in the schedule would fail silently in beat.
    for name, scheduled in app.conf.beat_schedule.items():
        assert scheduled["task"] in app.tasks, name


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twin_deliveries_running_at_once_have_the_effect_once():
    import threading

    from django.db import connection

    from tests.accounts.factories import UserFactory

    user = UserFactory(full_name="Bà Triệu")
    outcomes = []
    start = threading.Barrier(4)

    def deliver():
        try:
            start.wait()
            outcomes.append(mark_once.apply(kwargs={"user_id": user.pk, "mark": "*"}).get())
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=15)

    assert sorted(outcomes, key=str) == [None, None, None, "marked"]
    assert name_of(user) == "Bà Triệu*"
