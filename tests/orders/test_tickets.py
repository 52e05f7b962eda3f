import pytest

from orders.models import ShopOrder, Ticket
from tests.conftest import bearer_client
from tests.orders.factories import (
    cart_add,
    checkout,
    service_variant,
    shop_in,
    shop_owner,
    stocked_variant,
)
from tests.orders.flows import paid

pytestmark = pytest.mark.django_db


def book(buyer, seats=3, capacity=5):
    variant, date = service_variant(capacity=capacity)
    cart_add(buyer, variant, seats, service_date=date)
    return variant, date, checkout(buyer, method="stripe")


def test_paying_issues_one_ticket_per_seat(buyer, buyer_client, fake_port):
    _, date, order = book(buyer, seats=3)
    assert Ticket.objects.count() == 0
    paid(order)
    body = buyer_client.get(f"/api/v1/orders/{order.pk}/").json()
    tickets = body["shop_orders"][0]["tickets"]
    assert len(tickets) == 3
    assert len({t["code"] for t in tickets}) == 3
    assert {t["service_date"] for t in tickets} == {date.isoformat()}
    assert {t["status"] for t in tickets} == {"valid"}
    assert body["shop_orders"][0]["status"] == "awaiting_fulfilment"


def test_the_producer_marks_a_code_used_which_completes_the_booking(buyer, fake_port):
    variant, _, order = book(buyer, seats=2)
    paid(order)
    shop = variant.shop
    producer = bearer_client(shop_owner(shop))
    first, second = Ticket.objects.order_by("pk")
    used = producer.post(f"/api/v1/shops/{shop.slug}/tickets/use/", {"code": first.code.lower()})
    assert used.status_code == 200
    assert used.json()["status"] == "used"
    shop_order = ShopOrder.objects.get(order=order)
    assert shop_order.status == "completed"
    order.refresh_from_db()
    assert order.status == "completed"
    again = producer.post(f"/api/v1/shops/{shop.slug}/tickets/use/", {"code": first.code})
    assert again.status_code == 409
    assert (
        producer.post(f"/api/v1/shops/{shop.slug}/tickets/use/", {"code": second.code}).status_code
        == 200
    )


def test_another_shops_code_is_not_found(buyer, fake_port):
    _, _, order = book(buyer)
    paid(order)
    other = shop_in()
    response = bearer_client(shop_owner(other)).post(
        f"/api/v1/shops/{other.slug}/tickets/use/", {"code": Ticket.objects.first().code}
    )
    assert response.status_code == 404


def test_a_booking_beyond_capacity_is_refused(buyer, buyer_client):
    variant, date = service_variant(capacity=2)
    cart_add(buyer, variant, 3, service_date=date)
    response = buyer_client.post(
        "/api/v1/checkout/",
        {
            "shipping_address": {
                "full_name": "Lan",
                "phone": "0987654321",
                "province_code": "38",
                "ward_code": "14758",
                "line1": "12 Lê Lợi",
            },
            "payment_method": "stripe",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="tour",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "insufficient_stock"
    assert variant.sessions.get(date=date).reserved == 0


def test_cancelling_a_paid_booking_voids_tickets_and_gives_seats_back(buyer, fake_port):
    variant, date, order = book(buyer, seats=2, capacity=4)
    paid(order)
    shop_order = ShopOrder.objects.get(order=order)
    producer = bearer_client(shop_owner(variant.shop))
    response = producer.post(
        f"/api/v1/shops/{variant.shop.slug}/orders/{shop_order.pk}/reject/",
        {"reason": "Lũ, đóng cửa bản"},
    )
    assert response.status_code == 200
    assert set(Ticket.objects.values_list("status", flat=True)) == {"void"}
    assert variant.sessions.get(date=date).reserved == 0


def test_a_booking_is_not_shipped(buyer, fake_port):
    variant, _, order = book(buyer)
    paid(order)
    shop_order = ShopOrder.objects.get(order=order)
    producer = bearer_client(shop_owner(variant.shop))
    base = f"/api/v1/shops/{variant.shop.slug}/orders/{shop_order.pk}"
    assert producer.post(f"{base}/accept/").status_code == 200
    response = producer.post(f"{base}/ship/", {"carrier": "GHN", "tracking_number": "1"})
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "service_not_shipped"


def test_goods_and_a_booking_in_one_card_order(buyer, fake_port):
    variant, date = service_variant(capacity=5)
    cart_add(buyer, variant, 1, service_date=date)
    cart_add(buyer, stocked_variant(), 1)
    order = paid(checkout(buyer, method="stripe"))
    assert Ticket.objects.filter(shop_order__order=order).count() == 1
    assert sorted(order.shop_orders.values_list("is_service", flat=True)) == [False, True]


def test_a_visit_whose_date_passed_in_the_cart_is_refused_at_checkout(buyer, buyer_client):
    import datetime

    from orders.models import CartItem

    variant, date = service_variant(capacity=5)
    cart_add(buyer, variant, 1, service_date=date)
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    CartItem.objects.filter(cart__buyer=buyer).update(service_date=yesterday)
    from shops.services import session_capacity_set

    session_capacity_set(variant=variant, date=yesterday, capacity=5)
    response = buyer_client.post(
        "/api/v1/checkout/",
        {
            "shipping_address": {
                "full_name": "Lan",
                "phone": "0987654321",
                "province_code": "38",
                "ward_code": "14758",
                "line1": "12 Lê Lợi",
            },
            "payment_method": "stripe",
        },
        format="json",
        HTTP_IDEMPOTENCY_KEY="late",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "service_date_past"
    assert variant.sessions.get(date=yesterday).reserved == 0
