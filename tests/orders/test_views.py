import datetime

import pytest
from django.utils import timezone

from marketplace.accounts.services import operator_grant
from orders.models import ShopOrder
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.orders.factories import cart_add, checkout, shop_in, shop_owner, stocked_variant
from tests.orders.flows import shop_order_in

pytestmark = pytest.mark.django_db


def test_buyers_list_their_own_orders_filtered_by_status(buyer, buyer_client):
    done = shop_order_in("completed", buyer=buyer).order
    open_order = shop_order_in("awaiting_fulfilment", buyer=buyer).order
    shop_order_in("accepted", buyer=UserFactory(role="buyer"))

    listed = buyer_client.get("/api/v1/orders/").json()
    assert listed["count"] == 2
    assert [o["id"] for o in listed["results"]] == [open_order.pk, done.pk]
    completed = buyer_client.get("/api/v1/orders/?status=completed").json()
    assert [o["id"] for o in completed["results"]] == [done.pk]
    assert buyer_client.get("/api/v1/orders/?status=lost").status_code == 400


def test_a_buyer_never_sees_another_buyers_order(buyer, buyer_client):
    theirs = shop_order_in("accepted", buyer=UserFactory(role="buyer")).order
    response = buyer_client.get(f"/api/v1/orders/{theirs.pk}/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "order_not_found"
    assert buyer_client.post(f"/api/v1/orders/{theirs.pk}/pay/").status_code == 404
    assert buyer_client.get("/api/v1/orders/999999/").status_code == 404


def test_order_list_runs_a_fixed_number_of_queries(
    buyer, buyer_client, django_assert_max_num_queries
):
    for _ in range(3):
        shop_order_in("accepted", buyer=buyer)
    with django_assert_max_num_queries(10) as captured:
        assert buyer_client.get("/api/v1/orders/").json()["count"] == 3
    few = len(captured.captured_queries)
    for _ in range(3):
        shop_order_in("accepted", buyer=buyer)
    with django_assert_max_num_queries(few):
        assert buyer_client.get("/api/v1/orders/").json()["count"] == 6


def test_producers_list_their_shop_orders_by_status_and_date(buyer):
    shop = shop_in()
    accepted = shop_order_in("accepted", buyer=buyer, shop=shop)
    waiting = shop_order_in("awaiting_fulfilment", buyer=buyer, shop=shop)
    shop_order_in("accepted", buyer=buyer)  # another shop's
    ShopOrder.objects.filter(pk=accepted.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    producer = bearer_client(shop_owner(shop))
    base = f"/api/v1/shops/{shop.slug}/orders/"

    listed = producer.get(base).json()
    assert [so["id"] for so in listed["results"]] == [waiting.pk, accepted.pk]
    first = listed["results"][1]
    assert first["shipping_address"]["province_code"] == "38"
    assert first["buyer"]["full_name"] == buyer.full_name
    assert producer.get(f"{base}?status=accepted").json()["count"] == 1
    today = timezone.localdate().isoformat()
    recent = producer.get(f"{base}?created_from={today}").json()
    assert [so["id"] for so in recent["results"]] == [waiting.pk]
    assert producer.get(f"{base}?created_from=yesterday").status_code == 400
    detail = producer.get(f"{base}{accepted.pk}/")
    assert detail.status_code == 200
    assert [e["to_status"] for e in detail.json()["events"]] == [
        "awaiting_fulfilment",
        "accepted",
    ]


def test_shop_orders_are_private_to_the_shop(buyer):
    shop_order = shop_order_in("accepted", buyer=buyer)
    outsider = bearer_client(UserFactory(role="producer"))
    assert outsider.get(f"/api/v1/shops/{shop_order.shop.slug}/orders/").status_code == 404
    other_shop = shop_in()
    other = bearer_client(shop_owner(other_shop))
    assert other.get(f"/api/v1/shops/{other_shop.slug}/orders/{shop_order.pk}/").status_code == 404


def test_per_day_sales_in_a_shop(buyer):
    shop = shop_in()
    variant = stocked_variant(shop=shop, price=100_000, stock=50)
    for quantity in (1, 2):
        cart_add(buyer, variant, quantity)
        checkout(buyer)
    cart_add(buyer, variant, 5)
    rejected = checkout(buyer).shop_orders.get()
    old = shop_order_in("accepted", buyer=buyer, shop=shop)
    ShopOrder.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    from orders import services

    services.shop_order_reject(
        shop=shop, shop_order_id=rejected.pk, actor=shop_owner(shop), reason="Hết hàng"
    )
    producer = bearer_client(shop_owner(shop))
    days = producer.get(f"/api/v1/shops/{shop.slug}/sales/").json()
    assert len(days) == 2
    today = days[-1]
    assert today["date"] == timezone.localdate().isoformat()
    assert today["orders"] == 2
    assert today["subtotal"] == 300_000
    assert today["total"] == today["subtotal"] + today["shipping"]
    assert today["currency"] == "VND"
    only_today = producer.get(
        f"/api/v1/shops/{shop.slug}/sales/?date_from={timezone.localdate().isoformat()}"
    ).json()
    assert len(only_today) == 1


def test_anonymous_users_get_401(api_client):
    for path in ("/api/v1/cart/", "/api/v1/orders/"):
        assert api_client.get(path).status_code == 401
    assert api_client.post("/api/v1/checkout/", {}, format="json").status_code == 401


def test_operators_read_orders_with_their_history_in_the_admin(buyer, operator, client):
    shop_order = shop_order_in("shipped", buyer=buyer)
    operator_grant(user=operator)
    client.force_login(operator)
    for url in (
        "/admin/orders/order/",
        f"/admin/orders/order/{shop_order.order_id}/change/",
        "/admin/orders/shoporder/",
        f"/admin/orders/shoporder/{shop_order.pk}/change/",
        "/admin/orders/shippingrate/",
        "/admin/orders/shopshippingpolicy/add/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    history = client.get(f"/admin/orders/order/{shop_order.order_id}/change/").content.decode()
    assert "GHN123456" in history
    assert "shipped" in history
