import pytest
from django.core.cache import cache
from django.db import connection
from psycopg.conninfo import make_conninfo
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import RefreshToken

from catalogue.api.caching import local_pages
from marketplace.core import cache_guard, catalogue_version
from marketplace.regions.loader import load_regions
from marketplace.regions.models import Province, Ward
from tests.accounts.factories import UserFactory

pytest_plugins = ["tests.local_stripe", "tests.browser"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and cached pages must not leak between tests. Only our prefixed
    # keys go, never Celery's queues in the same Redis database.
    cache.delete_pattern("*")
    local_pages.clear()
    catalogue_version._polled = None
    # A test that broke the cache must not leave the next one answering without it.
    cache_guard.cache_guard_reset()
    catalogue_version._bump_owed = False
    yield


@pytest.fixture
def regions(transactional_db):
    """Transactional tests start from a flushed database: put the regions (loaded by a
    migration, so flushed away) back when they are missing."""
    if not Province.objects.exists():
        load_regions(Province, Ward)


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


def database_url_of_test_db() -> str:
    """The test database as a DATABASE_URL for a subprocess (a worker, a fresh
    interpreter), also where the embedded server's HOST is its socket folder."""
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    host = params.get("HOST") or "127.0.0.1"
    if host.startswith("/"):
        # The path form, whose folder django-environ reads as the socket's HOST.
        return f"postgres://{params['USER']}{password}@/{host}/{params['NAME']}"
    port = params.get("PORT") or 5432
    return f"postgres://{params['USER']}{password}@{host}:{port}/{params['NAME']}"


def conninfo_of_test_db() -> str:
    """The test database as a libpq connection string for psycopg itself, which reads
    no socket folder in a URL's path (the embedded server's case)."""
    params = connection.settings_dict
    return make_conninfo(
        host=params.get("HOST") or "127.0.0.1",
        port=str(params.get("PORT") or 5432),
        dbname=params["NAME"],
        user=params["USER"],
        **({"password": params["PASSWORD"]} if params.get("PASSWORD") else {}),
    )


def bearer_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(user).access_token}")
    return client


@pytest.fixture
def buyer(db):
    return UserFactory(role="buyer", full_name="Nguyễn Thị Lan")


@pytest.fixture
def producer(db):
    return UserFactory(role="producer", full_name="Trần Văn Hùng")


@pytest.fixture
def operator(db):
    return UserFactory(role="buyer", is_staff=True, full_name="Lê Minh Quân")


@pytest.fixture
def buyer_client(buyer) -> APIClient:
    return bearer_client(buyer)


@pytest.fixture
def producer_client(producer) -> APIClient:
    return bearer_client(producer)


@pytest.fixture
def operator_client(operator) -> APIClient:
    return bearer_client(operator)


@pytest.fixture
def live_worker(transactional_db):
    """A real Celery worker thread consuming every queue from the Redis broker, with
    tasks no longer run in-process."""
    from celery.contrib.testing.worker import start_worker

    from worker.celery import QUEUES, app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            shutdown_timeout=10,
            queues=list(QUEUES),
        ) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = eager
