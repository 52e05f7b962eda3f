import datetime

import pytest

from orders.api.serializers import CartItemAddInput
from shops.models import ProductStatus
from tests.orders.factories import service_variant, stocked_variant
from tests.shops.factories import product_status_set

pytestmark = pytest.mark.django_db


def test_adding_the_same_variant_again_adds_to_its_quantity(buyer_client):
    variant = stocked_variant(price=120_000)
    first = buyer_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 2})
    assert first.status_code == 201
    again = buyer_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 3})
    assert again.status_code == 201
    cart = buyer_client.get("/api/v1/cart/").json()
    assert len(cart["items"]) == 1
    line = cart["items"][0]
    assert line["quantity"] == 5
    assert line["unit_price"] == 120_000
    assert line["line_total"] == 600_000
    assert line["shop"]["slug"] == variant.shop.slug
    assert line["on_sale"] is True
    assert cart["total"] == 600_000
    assert cart["currency"] == "VND"


def test_change_and_remove_a_line(buyer_client):
    variant = stocked_variant(price=50_000)
    item_id = buyer_client.post(
        "/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 1}
    ).json()["items"][0]["id"]
    changed = buyer_client.patch(f"/api/v1/cart/items/{item_id}/", {"quantity": 4})
    assert changed.status_code == 200
    assert changed.json()["total"] == 200_000
    removed = buyer_client.delete(f"/api/v1/cart/items/{item_id}/")
    assert removed.status_code == 200
    assert removed.json()["items"] == []


@pytest.mark.parametrize("quantity", [0, -1, 100, "two", 1.5])
def test_quantity_is_a_positive_integer_with_a_maximum(buyer_client, quantity):
    variant = stocked_variant()
    response = buyer_client.post(
        "/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": quantity}, format="json"
    )
    assert response.status_code == 400
    assert "quantity" in response.json()["error"]["fields"]


def test_adding_past_the_maximum_is_refused(buyer_client, settings):
    variant = stocked_variant()
    buyer_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 60})
    response = buyer_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 60})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "quantity_too_large"
    assert buyer_client.get("/api/v1/cart/").json()["items"][0]["quantity"] == 60


def test_a_variant_not_on_sale_cannot_be_added(buyer_client):
    variant = stocked_variant()
    product_status_set(variant.product, ProductStatus.HIDDEN)
    response = buyer_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 1})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "variant_not_found"
    missing = buyer_client.post("/api/v1/cart/items/", {"variant_id": 999999, "quantity": 1})
    assert missing.status_code == 404


def test_a_line_whose_product_stopped_being_public_is_flagged_not_dropped(buyer_client):
    kept = stocked_variant(price=100_000)
    hidden = stocked_variant(price=70_000)
    for variant in (kept, hidden):
        buyer_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 1})
    product_status_set(hidden.product, ProductStatus.HIDDEN)
    cart = buyer_client.get("/api/v1/cart/").json()
    flags = {line["variant_id"]: line["on_sale"] for line in cart["items"]}
    assert flags == {kept.pk: True, hidden.pk: False}
    assert cart["total"] == 100_000


def test_someone_elses_cart_line_is_not_found(buyer_client, api_client):
    from tests.accounts.factories import UserFactory
    from tests.conftest import bearer_client

    variant = stocked_variant()
    item_id = buyer_client.post(
        "/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 1}
    ).json()["items"][0]["id"]
    stranger = bearer_client(UserFactory(role="buyer"))
    assert stranger.patch(f"/api/v1/cart/items/{item_id}/", {"quantity": 2}).status_code == 404
    assert stranger.delete(f"/api/v1/cart/items/{item_id}/").status_code == 404
    assert api_client.get("/api/v1/cart/").status_code == 401


def test_a_tourism_service_is_booked_for_a_date(buyer_client):
    variant, date = service_variant()
    no_date = buyer_client.post("/api/v1/cart/items/", {"variant_id": variant.pk, "quantity": 2})
    assert no_date.status_code == 400
    assert no_date.json()["error"]["code"] == "service_date_required"
    booked = buyer_client.post(
        "/api/v1/cart/items/",
        {"variant_id": variant.pk, "quantity": 2, "service_date": date.isoformat()},
    )
    assert booked.status_code == 201
    assert booked.json()["items"][0]["service_date"] == date.isoformat()
    goods = stocked_variant()
    dated_goods = buyer_client.post(
        "/api/v1/cart/items/",
        {"variant_id": goods.pk, "quantity": 1, "service_date": date.isoformat()},
    )
    assert dated_goods.json()["error"]["code"] == "service_date_not_allowed"


def test_the_same_visit_date_again_adds_seats_and_another_date_is_another_line(buyer_client):
    variant, date = service_variant(capacity=50)

    def book(day, quantity):
        return buyer_client.post(
            "/api/v1/cart/items/",
            {"variant_id": variant.pk, "quantity": quantity, "service_date": day.isoformat()},
        )

    book(date, 2)
    book(date, 3)
    later = date + datetime.timedelta(days=1)
    items = book(later, 1).json()["items"]
    assert [(i["service_date"], i["quantity"]) for i in items] == [
        (date.isoformat(), 5),
        (later.isoformat(), 1),
    ]
    too_many = book(later, 99)
    assert too_many.status_code == 400
    assert too_many.json()["error"]["code"] == "quantity_too_large"
    assert buyer_client.get("/api/v1/cart/").json()["items"][1]["quantity"] == 1


def test_several_lines_are_added_in_one_request(buyer_client):
    jar = stocked_variant(price=120_000)
    honey = stocked_variant(price=80_000)
    visit, date = service_variant(price=250_000)
    buyer_client.post("/api/v1/cart/items/", {"variant_id": jar.pk, "quantity": 1})
    response = buyer_client.post(
        "/api/v1/cart/items/",
        {
            "items": [
                {"variant_id": jar.pk, "quantity": 2},
                {"variant_id": honey.pk, "quantity": 1},
                {"variant_id": visit.pk, "quantity": 2, "service_date": date.isoformat()},
                {"variant_id": honey.pk, "quantity": 3},
            ]
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    cart = response.json()
    assert [(i["variant_id"], i["quantity"]) for i in cart["items"]] == [
        (jar.pk, 3),
        (honey.pk, 4),
        (visit.pk, 2),
    ]
    assert cart["total"] == 3 * 120_000 + 4 * 80_000 + 2 * 250_000
    assert buyer_client.get("/api/v1/cart/").json() == cart


@pytest.mark.parametrize(
    ("refused", "status", "code"),
    [
        ({"variant_id": "hidden", "quantity": 1}, 404, "variant_not_found"),
        ({"variant_id": "goods", "quantity": 99}, 400, "quantity_too_large"),
        ({"variant_id": "goods", "quantity": 1, "service_date": "date"}, 400, None),
        ({"variant_id": "visit", "quantity": 1}, 400, "service_date_required"),
    ],
)
def test_several_lines_go_in_all_or_nothing(buyer_client, refused, status, code):
    goods = stocked_variant()
    hidden = stocked_variant()
    product_status_set(hidden.product, ProductStatus.HIDDEN)
    visit, date = service_variant()
    names = {"hidden": hidden.pk, "goods": goods.pk, "visit": visit.pk}
    refused = {**refused, "variant_id": names[refused["variant_id"]]}
    if refused.get("service_date") == "date":
        refused["service_date"] = date.isoformat()
        code = "service_date_not_allowed"
    buyer_client.post("/api/v1/cart/items/", {"variant_id": goods.pk, "quantity": 1})
    before = buyer_client.get("/api/v1/cart/").json()

    response = buyer_client.post(
        "/api/v1/cart/items/",
        {"items": [{"variant_id": goods.pk, "quantity": 2}, refused]},
        format="json",
    )
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error["item"] == 1
    assert buyer_client.get("/api/v1/cart/").json() == before


def test_several_lines_are_checked_like_one(buyer_client, settings):
    goods = stocked_variant()
    bad_quantity = buyer_client.post(
        "/api/v1/cart/items/",
        {"items": [{"variant_id": goods.pk, "quantity": 1}, {"variant_id": goods.pk}]},
        format="json",
    )
    assert bad_quantity.status_code == 400
    # The second line's own field, named by its path in the body.
    assert list(bad_quantity.json()["error"]["fields"]) == ["items.1.quantity"]
    for items in ([], "not a list", [1, 2]):
        response = buyer_client.post("/api/v1/cart/items/", {"items": items}, format="json")
        assert response.status_code == 400, items
    settings.CART_MAX_LINES_PER_ADD = 2
    too_many = buyer_client.post(
        "/api/v1/cart/items/",
        {"items": [{"variant_id": goods.pk, "quantity": 1}] * 3},
        format="json",
    )
    assert too_many.status_code == 400
    assert too_many.json()["error"]["code"] == "too_many_items"
    assert buyer_client.get("/api/v1/cart/").json()["items"] == []


@pytest.mark.parametrize("headers", [{}, {"HTTP_ACCEPT": "application/*"}], ids=["direct", "drf"])
def test_too_many_items_are_refused_before_any_item_is_judged(
    buyer_client, settings, monkeypatch, headers
):
    """A body of thousands of items must not be validated one by one first: it is
    refused on its length alone, the per-item serializer never runs."""
    goods = stocked_variant()
    judged = []
    original = CartItemAddInput.to_internal_value

    def judging(serializer, data):
        judged.append(data)
        return original(serializer, data)

    monkeypatch.setattr(CartItemAddInput, "to_internal_value", judging)
    settings.CART_MAX_LINES_PER_ADD = 50
    items = [{"variant_id": "not a number", "quantity": -1}] * 5_000
    items[0] = {"variant_id": goods.pk, "quantity": 1}

    response = buyer_client.post("/api/v1/cart/items/", {"items": items}, format="json", **headers)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "too_many_items"
    assert response.json()["error"]["fields"] == {"items": ["At most 50."]}
    assert judged == []
    assert buyer_client.get("/api/v1/cart/").json()["items"] == []


def test_the_item_that_takes_a_line_past_the_maximum_is_the_one_refused(buyer_client):
    jar, honey = stocked_variant(), stocked_variant()
    buyer_client.post("/api/v1/cart/items/", {"variant_id": jar.pk, "quantity": 90})
    response = buyer_client.post(
        "/api/v1/cart/items/",
        {
            "items": [
                {"variant_id": jar.pk, "quantity": 5},
                {"variant_id": honey.pk, "quantity": 1},
                {"variant_id": jar.pk, "quantity": 5},
            ]
        },
        format="json",
    )
    assert response.status_code == 400
    assert (response.json()["error"]["code"], response.json()["error"]["item"]) == (
        "quantity_too_large",
        2,
    )
    cart = buyer_client.get("/api/v1/cart/").json()
    assert [(i["variant_id"], i["quantity"]) for i in cart["items"]] == [(jar.pk, 90)]
