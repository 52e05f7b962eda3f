"""Odd input answers 4xx in the error format, never 500."""

import pytest

from tests.conftest import bearer_client
from tests.orders.factories import address, cart_add, shop_owner, stocked_variant
from tests.orders.flows import shop_order_in

pytestmark = pytest.mark.django_db

HUGE = 10**30
BIGINT_PLUS_ONE = 2**63


@pytest.mark.parametrize("variant_id", [HUGE, BIGINT_PLUS_ONE, -1, 0, "x", None, [1], {"a": 1}])
def test_cart_add_with_odd_variant_ids(buyer_client, variant_id):
    response = buyer_client.post(
        "/api/v1/cart/items/", {"variant_id": variant_id, "quantity": 1}, format="json"
    )
    assert response.status_code in (400, 404)
    assert "code" in response.json()["error"]


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/orders/{BIGINT_PLUS_ONE}/",
        f"/api/v1/orders/{HUGE}/",
        f"/api/v1/cart/items/{BIGINT_PLUS_ONE}/",
        f"/api/v1/products/{BIGINT_PLUS_ONE}/reviews/",
    ],
)
def test_huge_ids_in_paths_are_404(buyer_client, path):
    assert buyer_client.get(path).status_code in (404, 405)
    if "cart/items" in path:
        assert buyer_client.delete(path).status_code == 404


def test_huge_shop_order_id_is_404_for_the_producer(buyer):
    shop_order = shop_order_in("accepted", buyer=buyer)
    producer = bearer_client(shop_owner(shop_order.shop))
    base = f"/api/v1/shops/{shop_order.shop.slug}/orders/{BIGINT_PLUS_ONE}"
    assert producer.get(f"{base}/").status_code == 404
    assert producer.post(f"{base}/deliver/").status_code == 404


@pytest.mark.parametrize(
    "override",
    [
        {"full_name": ""},
        {"phone": "call me"},
        {"province_code": "123"},
        {"ward_code": ""},
        {"line1": "x" * 300},
        {"province_code": None},
    ],
)
def test_checkout_address_garbage_is_400(buyer, buyer_client, override):
    cart_add(buyer, stocked_variant(), 1)
    response = buyer_client.post(
        "/api/v1/checkout/",
        {"shipping_address": address(**override), "payment_method": "cod"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="garbage",
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    ["status=nope", "created_from=2026-13-01", "created_to=tomorrow", "page_size=1000"],
)
def test_shop_order_filters_garbage_is_400(buyer, query):
    shop_order = shop_order_in("accepted", buyer=buyer)
    producer = bearer_client(shop_owner(shop_order.shop))
    response = producer.get(f"/api/v1/shops/{shop_order.shop.slug}/orders/?{query}")
    assert response.status_code == 400


def test_sales_filter_garbage_is_400(buyer):
    shop_order = shop_order_in("accepted", buyer=buyer)
    producer = bearer_client(shop_owner(shop_order.shop))
    response = producer.get(f"/api/v1/shops/{shop_order.shop.slug}/sales/?date_from=yesterday")
    assert response.status_code == 400


def test_an_overlong_idempotency_key_is_400(buyer, buyer_client):
    cart_add(buyer, stocked_variant(), 1)
    response = buyer_client.post(
        "/api/v1/checkout/",
        {"shipping_address": address(), "payment_method": "cod"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="k" * 300,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"


@pytest.mark.parametrize("variant_id", [0, -1, 2**63 - 1, 2**63, 10**30])
def test_several_cart_lines_with_odd_variant_ids(buyer_client, variant_id):
    response = buyer_client.post(
        "/api/v1/cart/items/",
        {"items": [{"variant_id": variant_id, "quantity": 1}]},
        format="json",
    )
    assert response.status_code in (400, 404)
    assert "code" in response.json()["error"]
