import pytest

from orders.models import Order, OrderEvent, OrderLine, ShopOrder
from shops.models import ProductStatus, ProductVariant, StockMovement
from tests.orders.factories import (
    address,
    cart_add,
    ledger_sum,
    service_variant,
    shop_in,
    stocked_variant,
)
from tests.shops.factories import product_status_set

pytestmark = pytest.mark.django_db


def post_checkout(client, *, key="k-1", method="cod", where=None, **extra):
    body = {"shipping_address": address(*([where] if where else [])), "payment_method": method}
    body.update(extra)
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post("/api/v1/checkout/", body, format="json", **headers)


def test_cod_checkout_splits_the_cart_by_shop_takes_stock_and_empties_the_cart(buyer, buyer_client):
    first_shop, second_shop = shop_in(commission_bp=700), shop_in("91")
    fish_sauce = stocked_variant(shop=first_shop, price=120_000, stock=10, weight_grams=700)
    honey = stocked_variant(shop=first_shop, price=80_000, stock=5, weight_grams=300)
    rice = stocked_variant(shop=second_shop, price=45_000, stock=8, weight_grams=1000)
    cart_add(buyer, fish_sauce, 2)
    cart_add(buyer, honey, 1)
    cart_add(buyer, rice, 3)

    response = post_checkout(buyer_client)

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["currency"] == "VND"
    assert body["payment"]["provider"] == "cod"
    assert body["payment"]["amount"] == body["total"]
    assert [so["status"] for so in body["shop_orders"]] == ["awaiting_fulfilment"] * 2
    first = next(so for so in body["shop_orders"] if so["shop"]["slug"] == first_shop.slug)
    assert first["subtotal"] == 2 * 120_000 + 80_000
    assert first["total"] == first["subtotal"] + first["shipping_fee"]
    assert {line["sku"] for line in first["lines"]} == {fish_sauce.sku, honey.sku}
    assert body["total"] == sum(so["total"] for so in body["shop_orders"])
    assert ShopOrder.objects.get(pk=first["id"]).commission_bp == 700

    for variant, left in ((fish_sauce, 8), (honey, 4), (rice, 5)):
        variant.refresh_from_db()
        assert variant.stock == left
        assert ledger_sum(variant) == left
        assert (
            StockMovement.objects.filter(
                variant=variant, reason="reservation", reference=f"order:{body['id']}"
            ).count()
            == 1
        )
    assert buyer_client.get("/api/v1/cart/").json()["items"] == []
    assert OrderEvent.objects.filter(order_id=body["id"]).count() == 3


def test_lines_snapshot_name_sku_price_and_stars(buyer, buyer_client):
    variant = stocked_variant(price=99_000)
    cart_add(buyer, variant, 1)
    order_id = post_checkout(buyer_client).json()["id"]
    ProductVariant.objects.filter(pk=variant.pk).update(price=10, sku="CHANGED")
    variant.product.name = "Renamed"
    variant.product.save()
    line = OrderLine.objects.get(shop_order__order_id=order_id)
    assert (line.product_name, line.sku, line.unit_price, line.stars) == (
        "Cao xạ đen Pù Mát",
        variant.sku,
        99_000,
        4,
    )
    shown = buyer_client.get(f"/api/v1/orders/{order_id}/").json()
    assert shown["shop_orders"][0]["lines"][0]["unit_price"] == 99_000


def test_prices_are_the_servers_never_the_clients(buyer, buyer_client):
    variant = stocked_variant(price=200_000)
    cart_add(buyer, variant, 1)
    response = post_checkout(buyer_client, total=1, items=[{"variant_id": variant.pk, "price": 1}])
    assert response.status_code == 201
    assert response.json()["shop_orders"][0]["subtotal"] == 200_000


def test_same_key_replays_the_same_order_with_200(buyer, buyer_client):
    cart_add(buyer, stocked_variant(stock=5), 2)
    first = post_checkout(buyer_client, key="double-click")
    second = post_checkout(buyer_client, key="double-click")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Order.objects.count() == 1


def test_same_key_with_a_different_cart_is_409(buyer, buyer_client):
    cart_add(buyer, stocked_variant(), 1)
    assert post_checkout(buyer_client, key="reused").status_code == 201
    cart_add(buyer, stocked_variant(), 1)
    response = post_checkout(buyer_client, key="reused")
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Order.objects.count() == 1


def test_same_key_with_a_different_address_is_409(buyer, buyer_client):
    cart_add(buyer, stocked_variant(), 1)
    assert post_checkout(buyer_client, key="k").status_code == 201
    response = post_checkout(buyer_client, key="k", method="stripe")
    assert response.status_code == 409


def test_the_key_is_required(buyer, buyer_client):
    cart_add(buyer, stocked_variant(), 1)
    response = post_checkout(buyer_client, key=None)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "idempotency_key_required"
    assert Order.objects.count() == 0


def test_keys_are_per_buyer(buyer, buyer_client):
    from tests.accounts.factories import UserFactory
    from tests.conftest import bearer_client

    other = UserFactory(role="buyer")
    cart_add(buyer, stocked_variant(), 1)
    cart_add(other, stocked_variant(), 1)
    assert post_checkout(buyer_client, key="shared").status_code == 201
    assert post_checkout(bearer_client(other), key="shared").status_code == 201
    assert Order.objects.count() == 2


def test_short_stock_names_every_short_variant_and_reserves_nothing(buyer, buyer_client):
    plenty = stocked_variant(stock=10)
    short_a = stocked_variant(stock=1)
    short_b = stocked_variant(stock=0)
    cart_add(buyer, plenty, 3)
    cart_add(buyer, short_a, 2)
    ProductVariant.objects.filter(pk=short_b.pk).update(stock=0)
    cart_add(buyer, short_b, 1)

    response = post_checkout(buyer_client, key="short")

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "insufficient_stock"
    short = {v["variant_id"]: v for v in error["variants"]}
    assert set(short) == {short_a.pk, short_b.pk}
    assert short[short_a.pk]["available"] == 1
    assert short[short_a.pk]["requested"] == 2
    assert short[short_a.pk]["sku"] == short_a.sku
    plenty.refresh_from_db()
    assert plenty.stock == 10
    assert not StockMovement.objects.filter(reason="reservation").exists()
    assert Order.objects.count() == 0
    assert len(buyer_client.get("/api/v1/cart/").json()["items"]) == 3
    # The failed attempt did not burn the key: once the cart is fixed, it goes through.
    item = next(
        i
        for i in buyer_client.get("/api/v1/cart/").json()["items"]
        if i["variant_id"] == short_b.pk
    )
    buyer_client.delete(f"/api/v1/cart/items/{item['id']}/")
    short_a_item = next(
        i
        for i in buyer_client.get("/api/v1/cart/").json()["items"]
        if i["variant_id"] == short_a.pk
    )
    buyer_client.patch(f"/api/v1/cart/items/{short_a_item['id']}/", {"quantity": 1})
    assert post_checkout(buyer_client, key="short").status_code == 201


def test_a_line_no_longer_on_sale_blocks_checkout(buyer, buyer_client):
    variant = stocked_variant()
    cart_add(buyer, variant, 1)
    product_status_set(variant.product, ProductStatus.HIDDEN)
    response = post_checkout(buyer_client)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "items_unavailable"
    assert response.json()["error"]["variants"] == [{"variant_id": variant.pk}]


def test_empty_cart_is_400(buyer_client):
    response = post_checkout(buyer_client)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "cart_empty"


@pytest.mark.parametrize(
    "override, field",
    [
        ({"province_code": "99"}, "province_code"),
        ({"ward_code": "00004"}, "ward_code"),  # Hà Nội's ward, not Thanh Hóa's
    ],
)
def test_address_must_be_a_real_ward_of_the_province(buyer, buyer_client, override, field):
    cart_add(buyer, stocked_variant(), 1)
    body = {"shipping_address": address(**override), "payment_method": "cod"}
    response = buyer_client.post(
        "/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="addr"
    )
    assert response.status_code == 400
    assert f"shipping_address.{field}" in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"payment_method": "cash"},
        {"payment_method": "cod", "shipping_address": {"full_name": "A"}},
        {"payment_method": "cod", "shipping_address": "nowhere"},
    ],
)
def test_malformed_bodies_are_400(buyer, buyer_client, body):
    cart_add(buyer, stocked_variant(), 1)
    response = buyer_client.post("/api/v1/checkout/", body, format="json", HTTP_IDEMPOTENCY_KEY="m")
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "validation_error"


def test_stripe_checkout_waits_for_payment_with_an_intent(buyer, buyer_client, fake_port):
    variant = stocked_variant(price=300_000, stock=3)
    cart_add(buyer, variant, 1)
    response = post_checkout(buyer_client, method="stripe")
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "pending_payment"
    assert body["reserved_until"] is not None
    assert [so["status"] for so in body["shop_orders"]] == ["pending_payment"]
    assert body["payment"]["intent_id"] == "pi_fake_1"
    assert body["payment"]["client_secret"] == "pi_fake_1_secret"
    assert fake_port.created == [
        {
            "amount": body["total"],
            "idempotency_key": f"order-{body['id']}-intent",
            "metadata": {"order_id": str(body["id"])},
        }
    ]
    variant.refresh_from_db()
    assert variant.stock == 2


def test_stripe_down_at_checkout_keeps_the_order_and_pay_retries(buyer, buyer_client, fake_port):
    cart_add(buyer, stocked_variant(), 1)
    fake_port.fail_create = True
    response = post_checkout(buyer_client, method="stripe")
    assert response.status_code == 201
    assert response.json()["payment"]["client_secret"] is None
    fake_port.fail_create = False
    paid = buyer_client.post(f"/api/v1/orders/{response.json()['id']}/pay/")
    assert paid.status_code == 200
    assert paid.json()["payment"]["client_secret"] == "pi_fake_1_secret"
    again = buyer_client.post(f"/api/v1/orders/{response.json()['id']}/pay/")
    assert again.json()["payment"]["intent_id"] == "pi_fake_1"
    assert len(fake_port.created) == 1


def test_pay_on_a_cod_order_is_409(buyer, buyer_client):
    cart_add(buyer, stocked_variant(), 1)
    order_id = post_checkout(buyer_client).json()["id"]
    assert buyer_client.post(f"/api/v1/orders/{order_id}/pay/").status_code == 409


def test_tourism_services_take_seats_and_refuse_cash_on_delivery(buyer, buyer_client, fake_port):
    variant, date = service_variant(capacity=3)
    cart_add(buyer, variant, 2, service_date=date)
    cod = post_checkout(buyer_client, key="cod-tour")
    assert cod.status_code == 400
    assert cod.json()["error"]["code"] == "cod_not_allowed_for_services"
    card = post_checkout(buyer_client, key="card-tour", method="stripe")
    assert card.status_code == 201
    shop_order = card.json()["shop_orders"][0]
    assert shop_order["shipping_fee"] == 0
    assert shop_order["lines"][0]["service_date"] == date.isoformat()
    session = variant.sessions.get(date=date)
    assert session.reserved == 2


def test_placing_notifies_the_buyer_and_for_cod_each_shop_after_commit(
    buyer, buyer_client, django_capture_on_commit_callbacks
):
    from tests.orders.factories import shop_owner
    from worker.models import Notification

    first, second = shop_in(), shop_in("79")
    cart_add(buyer, stocked_variant(shop=first), 1)
    cart_add(buyer, stocked_variant(shop=second), 2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        order_id = post_checkout(buyer_client).json()["id"]
    assert callbacks
    placed = Notification.objects.get(recipient=buyer, kind="order_placed")
    assert placed.context["order_number"] == str(order_id)
    assert placed.context["shop_count"] == 2
    for shop in (first, second):
        new = Notification.objects.get(recipient=shop_owner(shop), kind="shop_order_new")
        assert new.context["order_number"] == str(order_id)


def test_card_orders_tell_shops_only_once_paid(
    buyer, buyer_client, fake_port, django_capture_on_commit_callbacks
):
    from orders import services
    from tests.orders.factories import shop_owner
    from worker.models import Notification

    variant = stocked_variant()
    cart_add(buyer, variant, 1)
    with django_capture_on_commit_callbacks(execute=True):
        body = post_checkout(buyer_client, method="stripe").json()
    owner = shop_owner(variant.shop)
    assert not Notification.objects.filter(recipient=owner, kind="shop_order_new").exists()
    services.order_payment_succeed(
        order_id=body["id"], intent_id=body["payment"]["intent_id"], amount=body["total"]
    )
    assert Notification.objects.filter(recipient=owner, kind="shop_order_new").count() == 1
    assert Notification.objects.filter(recipient=buyer, kind="order_paid").count() == 1
