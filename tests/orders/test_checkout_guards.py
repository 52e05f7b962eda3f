"""Stock held hostage (issue 15, item 7) and the buyer's expected total (item 11): a
checkout per account is throttled, a buyer's open orders are capped, cash on delivery
may need a verified e-mail, and a price raised since the buyer saw the cart is refused,
not charged. Every refusal writes nothing: no order, no stock taken, the cart as it was."""

import pytest
from django.utils import timezone

from marketplace.accounts.models import User
from marketplace.core.errors import Conflict
from orders import services
from orders.models import Order
from shops.models import ProductVariant
from tests.accounts.factories import UserFactory
from tests.conftest import bearer_client
from tests.orders.factories import address, cart_add, checkout, shop_in, stocked_variant
from tests.orders.flows import paid, shop_order_in
from tests.test_settings import GOOD_SECRET, run_manage

pytestmark = pytest.mark.django_db

THROUGH_DRF = {"HTTP_ACCEPT": "application/*"}  # not the direct path's plain case


def post_checkout(client, *, key, method="cod", headers=None, **extra):
    body = {"shipping_address": address(), "payment_method": method, **extra}
    return client.post(
        "/api/v1/checkout/",
        body,
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
        **(headers or {}),
    )


def assert_nothing_written(buyer, variant, *, orders_before: int, stock: int):
    variant.refresh_from_db()
    assert variant.stock == stock
    assert Order.objects.filter(buyer=buyer).count() == orders_before
    assert [
        line["variant_id"] for line in bearer_client(buyer).get("/api/v1/cart/").json()["items"]
    ] == [variant.pk]


# --- the checkout throttle, per account ----------------------------------------------


def test_checkouts_are_throttled_per_account_on_both_paths(
    buyer, buyer_client, settings, fake_port
):
    settings.CHECKOUT_THROTTLE_RATE = "3/hour"
    jar = stocked_variant(stock=50)
    answers = []
    # Cash on delivery (the direct path), by card and with another Accept (DRF): one count.
    for n, (method, headers) in enumerate([("cod", {}), ("stripe", {}), ("cod", THROUGH_DRF)]):
        cart_add(buyer, jar, 1)
        answers.append(post_checkout(buyer_client, key=f"k-{n}", method=method, headers=headers))
    assert [a.status_code for a in answers] == [201, 201, 201]

    cart_add(buyer, jar, 1)
    for headers in ({}, THROUGH_DRF):
        refused = post_checkout(buyer_client, key="k-over", headers=headers)
        assert refused.status_code == 429, refused.json()
        assert refused.json()["error"]["code"] == "throttled"
        assert int(refused.headers["Retry-After"]) > 0
    assert_nothing_written(buyer, jar, orders_before=3, stock=47)

    # Another account has its own count.
    other = UserFactory(role="buyer")
    cart_add(other, jar, 1)
    assert post_checkout(bearer_client(other), key="k-0").status_code == 201


def test_no_rate_means_no_throttle(buyer, buyer_client, settings):
    settings.CHECKOUT_THROTTLE_RATE = None
    settings.MAX_OPEN_ORDERS_PER_BUYER = 0
    jar = stocked_variant(stock=50)
    for n in range(25):
        cart_add(buyer, jar, 1)
        assert post_checkout(buyer_client, key=f"k-{n}").status_code == 201


# --- open orders per buyer -----------------------------------------------------------


def test_a_buyer_holds_at_most_the_cap_of_open_orders(buyer, buyer_client, settings):
    settings.MAX_OPEN_ORDERS_PER_BUYER = 2
    jar = stocked_variant(stock=500)
    first, second = (shop_order_in("awaiting_fulfilment", buyer=buyer) for _ in range(2))
    cart_add(buyer, jar, 99)

    refused = post_checkout(buyer_client, key="third")

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert (error["code"], error["open_orders"], error["limit"]) == ("too_many_open_orders", 2, 2)
    assert_nothing_written(buyer, jar, orders_before=2, stock=500)

    # A shop accepting one frees its place: it is no longer the buyer's word alone.
    producer = first.shop.memberships.get().user
    services.shop_order_accept(shop=first.shop, shop_order_id=first.pk, actor=producer)
    placed = post_checkout(buyer_client, key="third")
    assert placed.status_code == 201, placed.json()
    # A replay of a placed order still answers it, whatever the count says now.
    assert post_checkout(buyer_client, key="third").status_code == 200
    assert second.order.status == "confirmed"


def test_unpaid_card_orders_count_until_paid_and_closed_orders_never(
    buyer, buyer_client, settings, fake_port
):
    settings.MAX_OPEN_ORDERS_PER_BUYER = 2
    jar = stocked_variant(stock=50)
    unpaid = shop_order_in("pending_payment", buyer=buyer)
    shop_order_in("cancelled", buyer=buyer)  # rejected by its shop: stock back
    shop_order_in("delivered", buyer=buyer)  # accepted long ago
    shop_order_in("awaiting_fulfilment", buyer=buyer)
    cart_add(buyer, jar, 1)
    assert post_checkout(buyer_client, key="k").json()["error"]["code"] == "too_many_open_orders"

    paid(unpaid.order)

    assert post_checkout(buyer_client, key="k").status_code == 201


def test_a_cancelled_order_frees_its_place(buyer, buyer_client, settings):
    settings.MAX_OPEN_ORDERS_PER_BUYER = 1
    jar = stocked_variant(stock=50)
    held = shop_order_in("awaiting_fulfilment", buyer=buyer)
    cart_add(buyer, jar, 1)
    assert post_checkout(buyer_client, key="k").status_code == 409
    assert buyer_client.post(f"/api/v1/orders/{held.order_id}/cancel/").status_code == 200
    assert post_checkout(buyer_client, key="k").status_code == 201


# --- cash on delivery needs a verified e-mail -----------------------------------------


def test_cash_on_delivery_needs_a_verified_email_where_required(buyer, buyer_client, settings):
    settings.COD_REQUIRES_VERIFIED_EMAIL = True
    jar = stocked_variant(stock=10)
    cart_add(buyer, jar, 3)
    for headers in ({}, THROUGH_DRF):
        refused = post_checkout(buyer_client, key="k", headers=headers)
        assert refused.status_code == 403, refused.json()
        assert refused.json()["error"]["code"] == "email_not_verified"
    assert_nothing_written(buyer, jar, orders_before=0, stock=10)

    User.objects.filter(pk=buyer.pk).update(email_verified_at=timezone.now())
    assert post_checkout(buyer_client, key="k").status_code == 201


def test_card_payment_needs_no_verified_email(buyer, buyer_client, settings, fake_port):
    settings.COD_REQUIRES_VERIFIED_EMAIL = True
    cart_add(buyer, stocked_variant(stock=10), 1)
    assert post_checkout(buyer_client, key="k", method="stripe").status_code == 201


def test_unverified_cash_on_delivery_is_allowed_where_not_required(buyer, buyer_client, settings):
    settings.COD_REQUIRES_VERIFIED_EMAIL = False
    cart_add(buyer, stocked_variant(stock=10), 1)
    assert post_checkout(buyer_client, key="k").status_code == 201


def test_production_requires_a_verified_email_for_cash_on_delivery_by_default():
    script = "from django.conf import settings; print(settings.COD_REQUIRES_VERIFIED_EMAIL)"
    default = run_manage("shell", "-c", script, DJANGO_SECRET_KEY=GOOD_SECRET)
    assert default.stdout.split()[-1:] == ["True"], default.stderr
    turned_off = run_manage(
        "shell", "-c", script, DJANGO_SECRET_KEY=GOOD_SECRET, COD_REQUIRES_VERIFIED_EMAIL="false"
    )
    assert turned_off.stdout.split()[-1:] == ["False"], turned_off.stderr


# --- the total the buyer expected -----------------------------------------------------


@pytest.mark.parametrize("headers", [{}, THROUGH_DRF], ids=["direct", "drf"])
def test_a_price_raised_since_the_cart_was_seen_is_refused_not_charged(
    buyer, buyer_client, headers
):
    jar = stocked_variant(price=120_000, stock=10)
    cart_add(buyer, jar, 2)
    seen = buyer_client.get("/api/v1/cart/").json()["total"]
    assert seen == 240_000
    ProductVariant.objects.filter(pk=jar.pk).update(price=150_000)

    refused = post_checkout(buyer_client, key="k", headers=headers, expected_total=seen)

    assert refused.status_code == 409
    error = refused.json()["error"]
    assert (error["code"], error["total"], error["expected_total"]) == (
        "price_changed",
        300_000,
        240_000,
    )
    assert_nothing_written(buyer, jar, orders_before=0, stock=10)

    # The buyer saw the new total: the same key now places the order at it.
    placed = post_checkout(buyer_client, key="k", headers=headers, expected_total=300_000)
    assert placed.status_code == 201, placed.json()
    assert placed.json()["subtotal"] == 300_000
    assert placed.json()["total"] == 300_000 + placed.json()["shipping_total"]


def test_the_expected_total_is_the_carts_goods_before_shipping(buyer, buyer_client):
    jar = stocked_variant(shop=shop_in(), price=95_000, stock=10)
    cart_add(buyer, jar, 1)
    placed = post_checkout(buyer_client, key="k", expected_total=95_000)
    assert placed.status_code == 201, placed.json()
    assert placed.json()["shipping_total"] > 0


@pytest.mark.parametrize("value", [-1, "many", 1.5, None])
def test_an_expected_total_must_be_a_whole_number_of_dong(buyer, buyer_client, value):
    jar = stocked_variant(stock=10)
    cart_add(buyer, jar, 1)
    response = post_checkout(buyer_client, key="k", expected_total=value)
    assert response.status_code == 400
    assert "expected_total" in response.json()["error"]["fields"]
    assert_nothing_written(buyer, jar, orders_before=0, stock=10)


def test_the_service_checks_the_expected_total_too(buyer):
    jar = stocked_variant(price=50_000, stock=10)
    cart_add(buyer, jar, 1)
    with pytest.raises(Conflict) as refused:
        services.checkout_place(
            buyer=buyer,
            idempotency_key="k",
            shipping_address=services.ShippingAddress(**address()),
            payment_method="cod",
            expected_total=49_999,
        )
    assert refused.value.code == "price_changed"
    assert checkout(buyer, key="k").subtotal == 50_000  # no expected total: today's prices
