"""The Celery app: `celery -A worker worker` and `celery -A worker beat`.

Queues by kind of work, so a backlog in one never starves another:
`payments` (webhooks, refunds), `orders` (reservation expiry, auto-completion),
`stock` (alerts, imports, images), `notifications` (in-app and e-mail).
"""

import os

from celery import Celery, signals
from celery.schedules import crontab
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings.dev")

from django.conf import settings

app = Celery("ocop")
app.config_from_object("django.conf:settings", namespace="CELERY")

QUEUES = ("payments", "orders", "stock", "notifications", "default")

# Queues named by `worker_task(queue=…)`, consulted before the routes by module.
DECLARED_QUEUES: dict[str, str] = {}


def route_declared(name, args, kwargs, options, task=None, **kw):
    queue = DECLARED_QUEUES.get(name)
    return {"queue": queue} if queue else None


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
        route_declared,
        {
            "payments.tasks.*": {"queue": "payments"},
            "orders.tasks.*": {"queue": "orders"},
            "shops.tasks.*": {"queue": "stock"},
            "worker.tasks.notifications.*": {"queue": "notifications"},
        },
    ],
    broker_connection_retry_on_startup=True,
    # A message a dead worker took comes back after this long (see settings).
    broker_transport_options={
        "visibility_timeout": settings.CELERY_VISIBILITY_TIMEOUT,
        "socket_connect_timeout": 3,
        "socket_timeout": 10,
        # A publish fails fast while Redis is down (the outbox keeps the work); workers
        # reconnect by broker_connection_* settings, not these.
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
    },
    broker_connection_timeout=3,
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
    # Publishes outbox rows the on-commit attempt could not (broker down, process died).
    # A run that waited longer than the interval is dropped: the next one does its work.
    "outbox-relay": {
        "task": "worker.tasks.relay_outbox",
        "schedule": 5.0,
        "options": {"expires": 5},
    },
    "worker-purge": {
        "task": "worker.tasks.purge_worker_tables",
        "schedule": crontab(hour=3, minute=17),
    },
    # Refresh tokens past their expiry (one row per sign-in and per refresh) and their
    # revocations: refused by their signature's expiry anyway.
    "accounts-purge-expired-tokens": {
        "task": "worker.tasks.purge_expired_tokens",
        "schedule": crontab(hour=3, minute=27),
    },
    # Certificates expire by the Vietnamese calendar (app timezone Asia/Ho_Chi_Minh).
    "shops-certificate-expiry": {
        "task": "shops.tasks.certificate_expiry",
        "schedule": crontab(hour=0, minute=15),
    },
    # Keeps the public products tally (the catalogue's count) a few hundred rows long.
    "shops-compact-public-tally": {
        "task": "shops.tasks.compact_public_tally",
        "schedule": 300.0,
        "options": {"expires": 300},
    },
    # The search indexes grow with every product update; rebuilt weekly, reads go on.
    "catalogue-rebuild-search-indexes": {
        "task": "catalogue.tasks.rebuild_search_indexes",
        "schedule": crontab(day_of_week=0, hour=3, minute=40),
    },
    # Unpaid card orders whose hold ran out give their stock back.
    "orders-expire-reservations": {
        "task": "orders.tasks.expire_reservations",
        "schedule": 60.0,
        "options": {"expires": 60},
    },
    # Intents and refunds whose webhook never came are read back from Stripe.
    "payments-reconcile": {
        "task": "payments.tasks.reconcile",
        "schedule": 300.0,
        "options": {"expires": 300},
    },
    # Every shop is paid its payable balance, once a week (Monday morning, Vietnam).
    "payments-payouts-weekly": {
        "task": "payments.tasks.payouts_weekly",
        "schedule": crontab(day_of_week=1, hour=6, minute=0),
    },
    # Delivered shop orders the buyer never confirmed complete after ORDERS_AUTO_COMPLETE_DAYS.
    "orders-auto-complete": {
        "task": "orders.tasks.auto_complete_delivered",
        "schedule": crontab(minute=30),
    },
}


@signals.setup_logging.connect
def use_django_logging(**kwargs) -> None:
    """Workers log like the web process (JSON in production), not Celery's own format."""
    from logging.config import dictConfig

    dictConfig(settings.LOGGING)


app.autodiscover_tasks()
