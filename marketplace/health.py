"""`/healthz`: is the database reachable, the broker, and when did a worker last run?

Project level (beside urls.py) because it looks at every layer, the worker included."""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from worker.outbox import oldest_unsent_age_seconds
from worker.tasks import HEARTBEAT_CACHE_KEY


def check_database() -> dict:
    started = time.perf_counter()
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        return {"status": "down", "error": exc.__class__.__name__}
    return {"status": "up", "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def check_broker() -> dict:
    if not settings.REDIS_URL:
        # The embedded default runs tasks in-process: there is no broker to be down.
        return {"status": "in_process"}
    started = time.perf_counter()
    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    except redis.RedisError as exc:
        return {"status": "down", "error": exc.__class__.__name__}
    finally:
        client.close()
    return {"status": "up", "latency_ms": round((time.perf_counter() - started) * 1000, 1)}


def check_worker() -> dict:
    """When a worker last ran its heartbeat task (scheduled by beat every minute)."""
    try:
        beat = cache.get(HEARTBEAT_CACHE_KEY)
    except Exception:
        beat = None
    return {"last_heartbeat": beat["at"] if beat else None}


def check_outbox() -> dict:
    """How far behind the relay is: the age of the oldest row the broker has not got."""
    try:
        age = oldest_unsent_age_seconds()
    except DatabaseError:
        return {"status": "unknown", "oldest_unsent_age_seconds": None}
    if age is None:
        status = "ok"
    elif age > settings.OUTBOX_LAG_ALERT_SECONDS:
        # Work is waiting longer than the relay ever should: broker or beat trouble.
        status = "lagging"
    else:
        status = "pending"
    return {"status": status, "oldest_unsent_age_seconds": age}


@never_cache
@require_GET
def healthz(request):
    database = check_database()
    broker = check_broker()
    # Only the database makes us unable to serve; a broker outage delays background
    # work (the outbox keeps it) but requests still succeed.
    healthy = database["status"] == "up"
    outbox = check_outbox() if healthy else {"status": "unknown"}
    if not healthy:
        status = "down"
    elif broker["status"] == "down" or outbox["status"] == "lagging":
        status = "degraded"
    else:
        status = "ok"
    body = {
        "status": status,
        "database": database,
        "broker": broker,
        "worker": check_worker(),
        "outbox": outbox,
    }
    return JsonResponse(body, status=200 if healthy else 503)
