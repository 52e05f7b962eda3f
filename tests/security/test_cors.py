"""Cross-origin access: the API is called by the apps (not browsers' pages of other
sites), so no origin is granted it. No CORS middleware is installed; should one be added,
these answers must still hold for every origin it is not configured with."""

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
