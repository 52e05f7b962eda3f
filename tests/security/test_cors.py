"""Cross-origin access: only the origins named in DJANGO_CORS_ALLOWED_ORIGINS (none by
default) are granted it, without credentials (bearer tokens, not cookies); every other
origin is granted nothing, on reads and on preflights."""

import importlib
import os
from unittest import mock

import pytest

from tests.conftest import bearer_client

pytestmark = pytest.mark.django_db

STRANGER = "https://cho-gia.example"
CORS_HEADERS = (
    "Access-Control-Allow-Origin",
    "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods",
    "Access-Control-Allow-Headers",
)


def _granted(response) -> dict:
    return {h: response[h] for h in CORS_HEADERS if response.has_header(h)}


@pytest.mark.parametrize("path", ["/api/v1/products/", "/api/v1/auth/me/", "/api/v1/cart/"])
def test_an_unknown_origin_is_granted_nothing(buyer, path):
    response = bearer_client(buyer).get(path, HTTP_ORIGIN=STRANGER)
    assert response.status_code == 200
    assert _granted(response) == {}


@pytest.mark.parametrize(
    "path", ["/api/v1/cart/items/", "/api/v1/checkout/", "/api/v1/auth/token/"]
)
def test_a_preflight_from_an_unknown_origin_is_granted_nothing(api_client, path):
    response = api_client.options(
        path,
        HTTP_ORIGIN=STRANGER,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )
    assert response.status_code < 500
    assert _granted(response) == {}


SHOP_FRONT = "https://ocop-nghean.example"


@pytest.fixture
def shop_front_allowed(settings):
    """What the settings make of DJANGO_CORS_ALLOWED_ORIGINS=https://ocop-nghean.example."""
    env = {**os.environ, "DJANGO_CORS_ALLOWED_ORIGINS": SHOP_FRONT}
    base = importlib.import_module("marketplace.settings.base")
    with mock.patch.dict(os.environ, env):
        importlib.reload(base)
    origins, middleware = base.CORS_ALLOWED_ORIGINS, base.MIDDLEWARE
    importlib.reload(base)  # back to this process's own environment
    assert "corsheaders.middleware.CorsMiddleware" in middleware
    settings.CORS_ALLOWED_ORIGINS = origins
    settings.MIDDLEWARE = middleware


def test_a_configured_origin_may_read(buyer, shop_front_allowed):
    response = bearer_client(buyer).get("/api/v1/cart/", HTTP_ORIGIN=SHOP_FRONT)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SHOP_FRONT
    assert not response.has_header("Access-Control-Allow-Credentials")


def test_a_configured_origin_may_check_out_after_its_preflight(api_client, shop_front_allowed):
    response = api_client.options(
        "/api/v1/checkout/",
        HTTP_ORIGIN=SHOP_FRONT,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type, idempotency-key",
    )
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == SHOP_FRONT
    allowed = {h.strip() for h in response["Access-Control-Allow-Headers"].split(",")}
    assert {"authorization", "content-type", "idempotency-key"} <= allowed


def test_another_origin_is_still_granted_nothing(buyer, shop_front_allowed):
    response = bearer_client(buyer).get("/api/v1/cart/", HTTP_ORIGIN=STRANGER)
    assert _granted(response) == {}


def test_the_back_office_is_never_cross_origin(admin_client, shop_front_allowed):
    response = admin_client.get("/admin/", HTTP_ORIGIN=SHOP_FRONT)
    assert _granted(response) == {}
