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


def test_schema_documents_the_error_format(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert schema["components"]["schemas"]["Error"]["required"] == ["error"]
    register = schema["paths"]["/api/v1/auth/register/"]["post"]["responses"]
    assert register["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    me = schema["paths"]["/api/v1/auth/me/"]["get"]["responses"]
    assert "401" in me
    wards = schema["paths"]["/api/v1/regions/provinces/{code}/wards/"]["get"]["responses"]
    assert "404" in wards


def test_docs_page_is_served_without_a_cdn(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r'src="([^"]+\.js)"', html)
    assert any("swagger-ui-bundle" in src for src in scripts)
    # The machine that serves the docs may have no internet: assets are our own.
    assert all(src.startswith("/static/") for src in scripts), scripts


def test_schema_generates_valid_openapi_without_warnings(tmp_path):
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert target.stat().st_size > 1000
