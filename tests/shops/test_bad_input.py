"""No input makes a shops endpoint answer 500: every refusal is a 4xx in the error format."""

import pytest

from tests.conftest import bearer_client
from tests.shops.factories import (
    CertificateFactory,
    ProductFactory,
    ShopFactory,
    VariantFactory,
    shop_owner,
)

pytestmark = pytest.mark.django_db

HUGE = 10**30
GARBAGE = [
    [],
    ["a", 1],
    "chuỗi",
    {"name": None},
    {"name": "x\x00y", "description": "\x00"},
    {"price": HUGE, "stock": HUGE, "weight_grams": -HUGE, "certificate_id": HUGE},
    {"stars": HUGE, "score": -HUGE, "issued_on": "2024-02-30", "expires_on": "mai"},
    {"variants": "không phải danh sách", "certificate_id": "một"},
    {"variants": [None, 1, "x"], "certificate_id": 1},
    {"variants": [{"sku": "A", "name": "B", "price": 1.5, "stock": True, "weight_grams": "1"}]},
    {"status": "deleted", "certificate_id": -1},
    {"decision": ["approve"], "reason": {"a": 1}},
    {"email": "không-phải-email", "date": "hôm qua", "capacity": HUGE},
    {"commission_bp": HUGE, "reason": "x" * 10_000},
    {"province_code": "\x00\x00", "ward_code": "ABCDEFG", "tax_code": "0" * 500},
]


@pytest.fixture
def world(operator):
    shop = ShopFactory()
    certificate = CertificateFactory(shop=shop)
    product = ProductFactory(shop=shop, certificate=certificate)
    variant = VariantFactory(product=product, initial_stock=5)
    slug = shop.slug
    return {
        "owner": bearer_client(shop_owner(shop)),
        "operator": bearer_client(operator),
        "member_urls": [
            ("post", "/api/v1/shops/"),
            ("patch", f"/api/v1/shops/{slug}/"),
            ("post", f"/api/v1/shops/{slug}/members/"),
            ("post", f"/api/v1/shops/{slug}/certificates/"),
            ("post", f"/api/v1/shops/{slug}/products/"),
            ("patch", f"/api/v1/shops/{slug}/products/{product.pk}/"),
            ("post", f"/api/v1/shops/{slug}/products/{product.pk}/variants/"),
            ("post", f"/api/v1/shops/{slug}/products/{product.pk}/images/"),
            ("patch", f"/api/v1/shops/{slug}/variants/{variant.pk}/"),
            ("post", f"/api/v1/shops/{slug}/variants/{variant.pk}/sessions/"),
            ("post", f"/api/v1/shops/{slug}/imports/"),
        ],
        "operator_urls": [
            ("post", f"/api/v1/operator/shops/{slug}/review/"),
            ("post", f"/api/v1/operator/shops/{slug}/suspend/"),
            ("post", f"/api/v1/operator/shops/{slug}/commission/"),
            ("post", f"/api/v1/operator/certificates/{certificate.pk}/review/"),
            ("post", f"/api/v1/operator/products/{product.pk}/delist/"),
        ],
    }


def _check(response):
    assert response.status_code < 500, response.content[:300]
    assert 400 <= response.status_code < 500 or response.status_code in (200, 201, 202)
    if response.status_code >= 400:
        assert response.json()["error"]["code"]


@pytest.mark.parametrize("body", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_json_is_refused_cleanly(world, body):
    for who, key in (("owner", "member_urls"), ("operator", "operator_urls")):
        client = world[who]
        for method, url in world[key]:
            _check(getattr(client, method)(url, body, format="json"))


def test_malformed_bodies_and_queries(world):
    client = world["owner"]
    for method, url in world["member_urls"]:
        _check(getattr(client, method)(url, "{not json", content_type="application/json"))
        _check(getattr(client, method)(url, b"\xff\xfe", content_type="text/plain"))
    slug = world["member_urls"][1][1].split("/")[4]
    for query in ("?status=\x00", "?status=bogus", "?page=abc", "?page_size=1000", "?page=99"):
        _check(client.get(f"/api/v1/shops/{slug}/products/{query}"))
        _check(world["operator"].get(f"/api/v1/operator/shops/{query}"))
        _check(world["operator"].get(f"/api/v1/operator/certificates/{query}"))
    _check(client.get(f"/api/v1/shops/{slug}/products/{HUGE}/"))
    _check(client.patch(f"/api/v1/shops/{slug}/variants/{HUGE}/", {"price": 1}, format="json"))
    _check(
        world["operator"].post(
            f"/api/v1/operator/certificates/{HUGE}/review/", {"decision": "approve"}, format="json"
        )
    )
