"""Tasks on the `notifications` queue (routed by this module's name in worker/celery.py)."""

from worker.base import worker_task
from worker.notifications import notification_email_send


# No idempotency key: the e-mail leaves the database, so the service guards itself with
# the notification's `emailed_at`, stamped under a row lock.
@worker_task(
    name="worker.tasks.notifications.send_email",
    queue="notifications",
    soft_time_limit=30,
    time_limit=45,
)
def send_email(*, notification_id: int) -> bool:
    return notification_email_send(notification_id=notification_id)
