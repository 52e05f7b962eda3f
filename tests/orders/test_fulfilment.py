import pytest

from orders.models import OrderEvent, ShopOrder
from shops.models import StockMovement
from tests.conftest import bearer_client
from tests.orders.factories import (
    cart_add,
    checkout,
    ledger_sum,
    shop_in,
    shop_owner,
    stocked_variant,
)
from tests.orders.flows import paid, shop_order_in
from worker.models import Notification

pytestmark = pytest.mark.django_db

STATES = [
    "pending_payment",
    "awaiting_fulfilment",
    "accepted",
    "shipped",
    "delivered",
    "completed",
    "cancelled",
]

# Written out by hand from ARCHITECTURE.md, not read from the code under test.
ALLOWED = {
    "accept": {"awaiting_fulfilment": "accepted"},
    "ship": {"accepted": "shipped"},
    "deliver": {"shipped": "delivered"},
    "reject": {"awaiting_fulfilment": "cancelled", "accepted": "cancelled"},
    "cancel": {"pending_payment": "cancelled", "awaiting_fulfilment": "cancelled"},
    "confirm_receipt": {"delivered": "completed"},
}


def act(action, shop_order, buyer):
    shop = shop_order.shop
    base = f"/api/v1/shops/{shop.slug}/orders/{shop_order.pk}"
    producer = bearer_client(shop_owner(shop))
    if action == "accept":
        return producer.post(f"{base}/accept/")
    if action == "ship":
        return producer.post(
            f"{base}/ship/", {"carrier": "Viettel Post", "tracking_number": "VTP987"}
        )
    if action == "deliver":
        return producer.post(f"{base}/deliver/")
    if action == "reject":
        return producer.post(f"{base}/reject/", {"reason": "Hàng bị lỗi"})
    client = bearer_client(buyer)
    if action == "cancel":
        return client.post(f"/api/v1/orders/{shop_order.order_id}/cancel/")
    return client.post(
        f"/api/v1/orders/{shop_order.order_id}/shop-orders/{shop_order.pk}/confirm-receipt/"
    )


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(ALLOWED))
def test_every_transition_is_allowed_or_refused_by_the_table(action, state, buyer, fake_port):
    shop_order = shop_order_in(state, buyer=buyer)
    events_before = OrderEvent.objects.filter(shop_order=shop_order).count()

    response = act(action, shop_order, buyer)

    shop_order.refresh_from_db()
    if state in ALLOWED[action]:
        assert response.status_code == 200, response.json()
        assert shop_order.status == ALLOWED[action][state]
        event = OrderEvent.objects.filter(shop_order=shop_order).latest("pk")
        assert (event.from_status, event.to_status) == (state, shop_order.status)
        assert event.actor is not None
    else:
        assert response.status_code == 409, response.json()
        assert response.json()["error"]["code"] == "invalid_transition"
        assert shop_order.status == state
        assert OrderEvent.objects.filter(shop_order=shop_order).count() == events_before


def test_full_delivery_completes_the_order_with_its_history(buyer, buyer_client):
    shop_order = shop_order_in("completed", buyer=buyer)
    order = buyer_client.get(f"/api/v1/orders/{shop_order.order_id}/").json()
    assert order["status"] == "completed"
    so = order["shop_orders"][0]
    assert (so["carrier"], so["tracking_number"]) == ("GHN", "GHN123456")
    moves = [(e["from_status"], e["to_status"]) for e in order["events"]]
    assert moves == [
        ("", "confirmed"),
        ("", "awaiting_fulfilment"),
        ("awaiting_fulfilment", "accepted"),
        ("accepted", "shipped"),
        ("shipped", "delivered"),
        ("delivered", "completed"),
        ("confirmed", "completed"),
    ]
    kinds = set(Notification.objects.filter(recipient=buyer).values_list("kind", flat=True))
    assert {"order_shipped", "order_delivered"} <= kinds


def test_reject_needs_a_reason_and_ship_needs_carrier_and_tracking(buyer):
    shop_order = shop_order_in("awaiting_fulfilment", buyer=buyer)
    producer = bearer_client(shop_owner(shop_order.shop))
    base = f"/api/v1/shops/{shop_order.shop.slug}/orders/{shop_order.pk}"
    assert producer.post(f"{base}/reject/", {"reason": ""}).status_code == 400
    producer.post(f"{base}/accept/")
    response = producer.post(f"{base}/ship/", {"carrier": "GHN"})
    assert response.status_code == 400
    assert "tracking_number" in response.json()["error"]["fields"]
    shop_order.refresh_from_db()
    assert shop_order.status == "accepted"


def test_reject_restocks_and_records_the_reason(buyer, buyer_client):
    shop_order = shop_order_in("accepted", buyer=buyer, quantity=3)
    variant = shop_order.lines.get().variant
    assert variant.stock == 7
    act("reject", shop_order, buyer)
    variant.refresh_from_db()
    assert variant.stock == 10 == ledger_sum(variant)
    assert StockMovement.objects.filter(variant=variant, reason="release").count() == 1
    order = buyer_client.get(f"/api/v1/orders/{shop_order.order_id}/").json()
    assert order["status"] == "cancelled"
    assert order["shop_orders"][0]["cancel_reason"] == "Hàng bị lỗi"
    assert order["payment"]["refunded_amount"] == 0  # cash on delivery: nothing was paid


def test_cancelling_a_paid_card_order_asks_for_a_refund(
    buyer, buyer_client, fake_port, django_capture_on_commit_callbacks
):
    shop_order = shop_order_in("awaiting_fulfilment", buyer=buyer, method="stripe")
    with django_capture_on_commit_callbacks(execute=True):
        response = act("cancel", shop_order, buyer)
    response = buyer_client.get(f"/api/v1/orders/{shop_order.order_id}/")
    assert response.status_code == 200
    assert fake_port.refunds == [
        {
            "intent_id": "pi_fake_1",
            "amount": shop_order.total,
            "idempotency_key": f"refund-shop-order-{shop_order.pk}",
        }
    ]
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["shop_orders"][0]["refund_status"] == "done"
    assert body["payment"]["refunded_amount"] == shop_order.total
    assert body["payment"]["status"] == "refunded"
    assert Notification.objects.filter(recipient=buyer, kind="order_refunded").count() == 1


def test_rejecting_one_of_two_paid_shop_orders_refunds_only_that_part(
    buyer, fake_port, django_capture_on_commit_callbacks
):
    first, second = shop_in(), shop_in("79")
    cart_add(buyer, stocked_variant(shop=first, price=100_000), 1)
    cart_add(buyer, stocked_variant(shop=second, price=200_000), 1)
    order = paid(checkout(buyer, method="stripe"))
    rejected = ShopOrder.objects.get(order=order, shop=second)
    with django_capture_on_commit_callbacks(execute=True):
        act("reject", rejected, buyer)
    assert [r["amount"] for r in fake_port.refunds] == [rejected.total]
    order.refresh_from_db()
    assert order.status == "paid"
    assert order.payment.refunded_amount == rejected.total
    assert order.payment.status == "succeeded"


def test_buyer_cancel_of_an_unpaid_card_order_releases_stock_and_cancels_the_intent(
    buyer, fake_port, django_capture_on_commit_callbacks
):
    shop_order = shop_order_in("pending_payment", buyer=buyer, quantity=4)
    from orders.services import payment_intent_ensure

    payment_intent_ensure(order=shop_order.order)
    with django_capture_on_commit_callbacks(execute=True):
        response = act("cancel", shop_order, buyer)
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert response.json()["payment"]["status"] == "cancelled"
    assert fake_port.cancelled == ["pi_fake_1"]
    assert fake_port.refunds == []
    variant = shop_order.lines.get().variant
    variant.refresh_from_db()
    assert variant.stock == 10


def test_cancel_leaves_accepted_parts_alone(buyer, buyer_client):
    first, second = shop_in(), shop_in()
    cart_add(buyer, stocked_variant(shop=first), 1)
    cart_add(buyer, stocked_variant(shop=second), 1)
    order = checkout(buyer)
    accepted = ShopOrder.objects.get(order=order, shop=first)
    act("accept", accepted, buyer)
    body = buyer_client.post(f"/api/v1/orders/{order.pk}/cancel/").json()
    statuses = {so["id"]: so["status"] for so in body["shop_orders"]}
    assert statuses[accepted.pk] == "accepted"
    assert sorted(statuses.values()) == ["accepted", "cancelled"]
    assert body["status"] == "confirmed"
    again = buyer_client.post(f"/api/v1/orders/{order.pk}/cancel/")
    assert again.status_code == 409


def test_an_order_with_a_completed_and_a_cancelled_part_is_completed(buyer, buyer_client):
    first, second = shop_in(), shop_in()
    cart_add(buyer, stocked_variant(shop=first), 1)
    cart_add(buyer, stocked_variant(shop=second), 1)
    order = checkout(buyer)
    act("reject", ShopOrder.objects.get(order=order, shop=second), buyer)
    done = ShopOrder.objects.get(order=order, shop=first)
    for action in ("accept", "ship", "deliver", "confirm_receipt"):
        assert act(action, done, buyer).status_code == 200
    assert buyer_client.get(f"/api/v1/orders/{order.pk}/").json()["status"] == "completed"


def test_other_shops_and_other_buyers_get_404(buyer):
    from tests.accounts.factories import UserFactory

    shop_order = shop_order_in("delivered", buyer=buyer)
    other_shop = shop_in()
    other_producer = bearer_client(shop_owner(other_shop))
    wrong_shop = other_producer.post(
        f"/api/v1/shops/{other_shop.slug}/orders/{shop_order.pk}/deliver/"
    )
    assert wrong_shop.status_code == 404
    not_member = other_producer.post(
        f"/api/v1/shops/{shop_order.shop.slug}/orders/{shop_order.pk}/accept/"
    )
    assert not_member.status_code == 404
    stranger = bearer_client(UserFactory(role="buyer"))
    confirm = stranger.post(
        f"/api/v1/orders/{shop_order.order_id}/shop-orders/{shop_order.pk}/confirm-receipt/"
    )
    assert confirm.status_code == 404
    assert stranger.post(f"/api/v1/orders/{shop_order.order_id}/cancel/").status_code == 404
    shop_order.refresh_from_db()
    assert shop_order.status == "delivered"
