import re

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_schema_describes_the_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    for path in [
        "/api/v1/auth/register/",
        "/api/v1/auth/token/",
        "/api/v1/auth/me/",
        "/api/v1/regions/provinces/",
        "/api/v1/ocop/product-groups/",
    ]:
        assert path in schema["paths"], path


def test_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'src="([^"]+\.js)"', html)
    assert any("swagger-ui-bundle" in src for src in scripts)
    # The machine that serves the docs may have no internet: assets are our own.
    assert all(src.startswith("/static/") for src in scripts), scripts
