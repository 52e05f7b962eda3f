import pytest

from orders.models import ShippingRate
from orders.services import Rate, fee_for_weight
from tests.orders.factories import (
    OTHER_REGION,
    SAME_PROVINCE,
    SAME_REGION,
    cart_add,
    checkout,
    shop_in,
    stocked_variant,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates():
    """A table chosen by the test (the operator's admin edits these rows)."""
    ShippingRate.objects.all().delete()
    for distance, base, step_fee in (
        ("same_province", 20_000, 2_000),
        ("same_region", 30_000, 4_000),
        ("other_region", 40_000, 6_000),
    ):
        ShippingRate.objects.create(
            distance_class=distance,
            base_weight_grams=1000,
            base_fee=base,
            step_grams=500,
            step_fee=step_fee,
        )


@pytest.mark.parametrize(
    "where, distance, fee",
    [
        # 3 jars of 600 g = 1800 g: base 1000 g, then two started 500 g steps.
        (SAME_PROVINCE, "same_province", 20_000 + 2 * 2_000),
        (SAME_REGION, "same_region", 30_000 + 2 * 4_000),
        (OTHER_REGION, "other_region", 40_000 + 2 * 6_000),
    ],
)
def test_fee_by_weight_and_distance_class(buyer, rates, where, distance, fee):
    variant = stocked_variant(shop=shop_in("40"), price=100_000, weight_grams=600)
    cart_add(buyer, variant, 3)
    order = checkout(buyer, where=where)
    shop_order = order.shop_orders.get()
    assert shop_order.distance_class == distance
    assert shop_order.weight_grams == 1800
    assert shop_order.shipping_fee == fee
    assert order.total == 300_000 + fee == order.subtotal + order.shipping_total


def test_operator_edits_to_the_table_apply_to_the_next_order(buyer, rates):
    variant = stocked_variant(weight_grams=200)
    cart_add(buyer, variant, 1)
    assert checkout(buyer).shipping_total == 30_000
    ShippingRate.objects.filter(distance_class="same_region").update(base_fee=27_000)
    cart_add(buyer, variant, 1)
    assert checkout(buyer).shipping_total == 27_000


@pytest.mark.parametrize("quantity, fee", [(1, 30_000), (2, 0), (3, 0)])
def test_free_shipping_from_the_shops_threshold(buyer, rates, quantity, fee):
    shop = shop_in(free_shipping_threshold=200_000)
    cart_add(buyer, stocked_variant(shop=shop, price=100_000, weight_grams=300), quantity)
    assert checkout(buyer).shop_orders.get().shipping_fee == fee


def test_each_shop_order_pays_its_own_fee(buyer, rates):
    near, far = shop_in("38"), shop_in("79", free_shipping_threshold=50_000)
    cart_add(buyer, stocked_variant(shop=near, price=60_000, weight_grams=500), 1)
    cart_add(buyer, stocked_variant(shop=far, price=60_000, weight_grams=500), 1)
    order = checkout(buyer, where=SAME_REGION)  # Thanh Hóa, like the near shop
    fees = {so.shop_id: (so.distance_class, so.shipping_fee) for so in order.shop_orders.all()}
    assert fees == {near.pk: ("same_province", 20_000), far.pk: ("other_region", 0)}
    assert order.shipping_total == 20_000


def test_missing_rate_is_a_409_and_nothing_is_taken(buyer, buyer_client, rates):
    ShippingRate.objects.filter(distance_class="other_region").delete()
    variant = stocked_variant(stock=4)
    cart_add(buyer, variant, 1)
    from tests.orders.factories import address

    response = buyer_client.post(
        "/api/v1/checkout/",
        {"shipping_address": address(OTHER_REGION), "payment_method": "cod"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="no-rate",
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "shipping_rate_missing"
    variant.refresh_from_db()
    assert variant.stock == 4


@pytest.mark.parametrize(
    "weight, fee",
    [(0, 30_000), (1000, 30_000), (1001, 34_000), (1500, 34_000), (1501, 38_000)],
)
def test_fee_counts_every_started_step(weight, fee):
    rate = Rate(base_weight_grams=1000, base_fee=30_000, step_grams=500, step_fee=4_000)
    assert fee_for_weight(rate=rate, weight_grams=weight) == fee


def test_the_default_table_covers_every_distance_class():
    assert set(ShippingRate.objects.values_list("distance_class", flat=True)) == {
        "same_province",
        "same_region",
        "other_region",
    }
