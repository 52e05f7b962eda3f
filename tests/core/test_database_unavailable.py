"""A lost database connection is a 503 `database_unavailable` wherever it surfaces (a DRF
view, a plain Django view or middleware), while other database errors stay 500s. The
real drill (a backend terminated mid-checkout under gunicorn) is in tests/faults."""

import psycopg
import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

pytestmark = pytest.mark.django_db


def _django_error(cause: Exception | None, kind=OperationalError) -> Exception:
    error = kind(str(cause))
    error.__cause__ = cause
    return error


TERMINATED = psycopg.errors.AdminShutdown("terminating connection due to administrator command")
SERVER_GONE = psycopg.OperationalError("server closed the connection unexpectedly")
DEADLOCK = psycopg.errors.DeadlockDetected("deadlock detected")
RAISED = {
    "terminated": _django_error(TERMINATED),
    "server_gone": _django_error(SERVER_GONE),
    "closed": _django_error(None, InterfaceError),
    "deadlock": _django_error(DEADLOCK),
}


@api_view(["GET"])
@permission_classes([AllowAny])
def drf_view(request, kind):
    raise RAISED[kind]


def plain_view(request, kind):
    raise RAISED[kind]


urlpatterns = [path("drf/<str:kind>/", drf_view), path("plain/<str:kind>/", plain_view)]
handler500 = "marketplace.core.errors.json_server_error"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("where", ["drf", "plain"])
@pytest.mark.parametrize("kind", ["terminated", "server_gone", "closed"])
def test_a_lost_connection_is_a_503_to_retry(where, kind):
    response = Client(raise_request_exception=False).get(f"/{where}/{kind}/")
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "database_unavailable"
    assert response["Retry-After"] == "5"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize("where", ["drf", "plain"])
def test_an_error_on_a_live_connection_stays_a_500(where):
    response = Client(raise_request_exception=False).get(f"/{where}/deadlock/")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
