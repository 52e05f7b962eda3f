import pytest

pytestmark = pytest.mark.django_db


def test_shops_and_operator_endpoints_are_in_the_openapi_schema(client):
    paths = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    for path in [
        "/api/v1/shops/",
        "/api/v1/shops/{slug}/",
        "/api/v1/shops/{slug}/certificates/",
        "/api/v1/shops/{slug}/products/",
        "/api/v1/shops/{slug}/products/{product_id}/",
        "/api/v1/shops/{slug}/variants/{variant_id}/",
        "/api/v1/shops/{slug}/imports/",
        "/api/v1/operator/shops/{slug}/review/",
        "/api/v1/operator/certificates/{certificate_id}/review/",
    ]:
        assert path in paths, path
    assert set(paths["/api/v1/shops/{slug}/products/{product_id}/"]) >= {"get", "patch", "delete"}
