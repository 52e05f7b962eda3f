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


def _schema(client):
    return client.get("/api/schema/", HTTP_ACCEPT="application/json").json()


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/catalogue/shops/",
        "/api/v1/orders/",
        "/api/v1/shops/",
        "/api/v1/shops/{slug}/products/",
        "/api/v1/operator/certificates/",
        "/api/v1/shops/{slug}/ledger/",
    ],
)
def test_paged_lists_document_the_page_envelope(client, path):
    schema = _schema(client)
    operation = schema["paths"][path]["get"]
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rpartition("/")[2]]
    assert set(page["properties"]) == {"count", "next", "previous", "results"}
    assert page["properties"]["results"]["type"] == "array"
    assert operation["operationId"].endswith("_list")
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert parameters["page_size"] == {"type": "integer", "minimum": 1, "maximum": 100}
    assert "404" in operation["responses"]  # a page past the last


def test_paged_list_answers_what_its_schema_says(client):
    """The envelope is what the list really answers (the fuzzer checks every one)."""
    body = client.get("/api/v1/shops/").json()
    assert set(body) == {"count", "next", "previous", "results"}


def _statuses(schema, method, path):
    return set(schema["paths"][path][method]["responses"])


def test_operations_document_the_statuses_they_answer(client):
    schema = _schema(client)
    # Every operation: a statement past the timeout answers 503.
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "503" in operation["responses"], (method, path)
    # Operator endpoints refuse other accounts (403); writes check the state (409) and
    # take JSON only (415).
    assert {"401", "403", "404", "409", "415"} <= _statuses(
        schema, "post", "/api/v1/operator/shops/{slug}/suspend/"
    )
    # Throttled: sign-in and checkout (429); a bad password or refresh token is a 401.
    assert {"401", "429"} <= _statuses(schema, "post", "/api/v1/auth/token/")
    assert {"401", "429"} <= _statuses(schema, "post", "/api/v1/auth/token/refresh/")
    assert {"403", "409", "429"} <= _statuses(schema, "post", "/api/v1/checkout/")
    # Reading your own cart cannot be refused or conflict.
    assert _statuses(schema, "get", "/api/v1/cart/") == {"200", "401", "503"}
    # Removing a cart line answers the cart (200), not an empty 204.
    assert "200" in _statuses(schema, "delete", "/api/v1/cart/items/{item_id}/")
    assert "204" not in _statuses(schema, "delete", "/api/v1/cart/items/{item_id}/")


def test_error_fields_are_lists_of_strings_in_schema_and_answer(buyer_client):
    schema = _schema(buyer_client)
    fields = schema["components"]["schemas"]["Error"]["properties"]["error"]["properties"]
    assert fields["fields"]["additionalProperties"] == {
        "type": "array",
        "items": {"type": "string"},
    }
    # A nested serializer's error (a NUL in the ward code) is named by its path.
    response = buyer_client.post(
        "/api/v1/checkout/",
        {
            "shipping_address": {
                "full_name": "Lan",
                "phone": "0901234567",
                "province_code": "01",
                "ward_code": "0\x000",
                "line1": "12 Lê Lợi",
            },
            "payment_method": "cod",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="nul",
    )
    assert response.status_code == 400
    errors = response.json()["error"]["fields"]
    assert list(errors) == ["shipping_address.ward_code"]
    assert all(isinstance(m, str) for messages in errors.values() for m in messages)


def test_request_schemas_state_the_real_constraints(client):
    schemas = _schema(client)["components"]["schemas"]
    cart_patch = _schema(client)["paths"]["/api/v1/cart/items/{item_id}/"]["patch"]
    ref = cart_patch["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    # A PATCH body is validated whole: its required fields are required.
    assert schemas[ref.rpartition("/")[2]]["required"] == ["quantity"]
    address = schemas["ShippingAddressInputRequest"]["properties"]
    assert address["ward_code"]["pattern"] == "^[0-9]{5}$"
    assert "01" in schemas["ProvinceCodeEnum"]["enum"]
    variant = schemas["VariantInputRequest"]["properties"]
    assert variant["price"]["minimum"] == 1


def test_a_page_past_the_last_is_a_documented_404(client):
    """The catalogue's listing pages itself (not a Paginated component): its `page`
    parameter still brings the 404 a page out of range answers."""
    assert client.get("/api/v1/products/?page=-5").status_code == 404
    assert "404" in _statuses(_schema(client), "get", "/api/v1/products/")
