"""The cart's fast path (orders.services.cart_fast): goods added, and the cart answered,
by one statement whose JSON the database writes (`orders.selectors.cart_json`); it must
be what the reference path shows (`cart_view` through CartSerializer), key for key.
The answers before DRF are compared with DRF's in test_api_fast.py."""

import pytest

from orders.services import cart_quantity_maximum, cart_quantity_valid
from shops.models import ProductStatus
from tests.orders.factories import service_variant, stocked_variant
from tests.shops.factories import product_status_set

pytestmark = pytest.mark.django_db


def test_the_cart_lines_fast_shape_is_what_their_declared_fields_give(buyer, buyer_client):
    from rest_framework import serializers

    from orders.api.serializers import CartLineSerializer
    from orders.selectors import cart_view

    goods = stocked_variant(price=120_000)
    visit, date = service_variant()
    withdrawn = stocked_variant()
    for body in (
        {"variant_id": goods.pk, "quantity": 2},
        {"variant_id": visit.pk, "quantity": 1, "service_date": date.isoformat()},
        {"variant_id": withdrawn.pk, "quantity": 1},
    ):
        assert buyer_client.post("/api/v1/cart/items/", body).status_code == 201
    product_status_set(withdrawn.product, ProductStatus.DELISTED)

    lines = cart_view(buyer=buyer).lines
    assert [line.on_sale for line in lines] == [True, True, False]
    serializer = CartLineSerializer()
    for line in lines:
        declared = serializers.Serializer.to_representation(serializer, line)
        assert serializer.to_representation(line) == declared
        assert list(serializer.to_representation(line)) == list(declared)


@pytest.mark.postgres
def test_the_cart_postgresql_writes_is_what_its_serializer_shows(buyer, buyer_client):
    """On PostgreSQL the cart's answer is JSON written by the database
    (`selectors.cart_json`); it must be CartSerializer's answer key for key, in order:
    goods, a dated visit, a line no longer on sale (flagged and out of the total)."""
    import json

    from orders.api.serializers import CartSerializer
    from orders.selectors import cart_json, cart_view

    goods = stocked_variant(price=120_000)
    visit, date = service_variant()
    withdrawn = stocked_variant(stock=0)
    for body in (
        {"variant_id": goods.pk, "quantity": 2},
        {"variant_id": visit.pk, "quantity": 1, "service_date": date.isoformat()},
        {"variant_id": withdrawn.pk, "quantity": 1},
    ):
        assert buyer_client.post("/api/v1/cart/items/", body).status_code == 201
    product_status_set(withdrawn.product, ProductStatus.DELISTED)

    written = json.loads(cart_json(buyer=buyer))
    shown = json.loads(json.dumps(CartSerializer(cart_view(buyer=buyer)).data))
    assert written == shown
    assert list(written) == list(shown)
    assert [list(line) for line in written["items"]] == [list(line) for line in shown["items"]]
    assert [line["on_sale"] for line in written["items"]] == [True, True, False]


@pytest.mark.parametrize("quantity", [0, 1, 99, 100, -1, "2", 1.5, True, None])
def test_the_quantity_cap_is_the_serializers(quantity):
    """The cap is decided once (`cart_rules`): the input serializer accepts exactly the
    quantities the fast path takes as plain."""
    from orders.api.serializers import CartItemAddInput

    serializer = CartItemAddInput(data={"variant_id": 1, "quantity": quantity})
    accepted = serializer.is_valid() and serializer.validated_data["quantity"] == quantity
    assert cart_quantity_valid(quantity) == accepted
    assert cart_quantity_maximum() == 99
