import pytest
from django.db import OperationalError, connections

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["status"] == "up"
    assert body["broker"]["status"] in {"up", "in_process"}
    assert body["status"] == "ok"


def test_healthz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(connections["default"], "cursor", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "down"
    assert body["database"] == {"status": "down", "error": "OperationalError"}


def test_healthz_reports_a_down_broker_but_still_serves(client, settings):
    # Nothing listens on port 1: a broker outage delays background work, it does not
    # take the API down.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["broker"]["status"] == "down"
    assert body["status"] == "degraded"


def test_healthz_shows_the_last_worker_heartbeat(client):
    from worker.tasks import record_heartbeat

    assert client.get("/healthz").json()["worker"]["last_heartbeat"] is None
    stamp = record_heartbeat.delay(origin="test").get()
    assert client.get("/healthz").json()["worker"]["last_heartbeat"] == stamp
