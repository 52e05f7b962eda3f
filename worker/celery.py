"""The Celery app: `celery -A worker worker` and `celery -A worker beat`.

Queues by kind of work, so a backlog in one never starves another:
`payments` (webhooks, refunds), `orders` (reservation expiry, auto-completion),
`stock` (alerts, imports, images), `notifications` (in-app and e-mail).
"""

import os

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")

app = Celery("ocop")
app.config_from_object("django.conf:settings", namespace="CELERY")

QUEUES = ("payments", "orders", "stock", "notifications", "default")

app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    task_ignore_result=True,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_default_queue="default",
    task_queues=[Queue(name) for name in QUEUES],
    # Routing by the module a task lives in; a task may still name its queue itself.
    task_routes=[
        {
            "payments.tasks.*": {"queue": "payments"},
            "orders.tasks.*": {"queue": "orders"},
            "shops.tasks.*": {"queue": "stock"},
            "worker.tasks.notifications.*": {"queue": "notifications"},
        }
    ],
    broker_connection_retry_on_startup=True,
    broker_transport_options={"visibility_timeout": 3600},
    timezone="Asia/Ho_Chi_Minh",
    enable_utc=True,
    task_soft_time_limit=120,
    task_time_limit=180,
)

# The whole beat schedule, in one place; each issue adds the entries it owns.
app.conf.beat_schedule = {
    "worker-heartbeat": {
        "task": "worker.tasks.record_heartbeat",
        "schedule": 60.0,
    },
}

app.autodiscover_tasks()
