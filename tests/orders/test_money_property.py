"""Money sums are exact integers, whatever the cart: property-based over random carts."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from orders.models import ShippingRate
from orders.services import Rate, fee_for_weight
from tests.accounts.factories import UserFactory
from tests.orders.factories import (
    OTHER_REGION,
    SAME_PROVINCE,
    SAME_REGION,
    cart_add,
    checkout,
    shop_in,
    stocked_variant,
)

line = st.tuples(
    st.integers(min_value=1, max_value=50_000_000),  # unit price, đồng
    st.integers(min_value=1, max_value=99),  # quantity
    st.one_of(st.none(), st.integers(min_value=0, max_value=30_000)),  # weight, grams
)
shop_cart = st.tuples(
    st.sampled_from(["40", "38", "79", "01"]),  # shop's province
    st.one_of(st.none(), st.integers(min_value=0, max_value=20_000_000)),  # free from
    st.lists(line, min_size=1, max_size=4),
)


class MoneySumsTests(TestCase):
    @settings(
        max_examples=40,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        shops=st.lists(shop_cart, min_size=1, max_size=3),
        where=st.sampled_from([SAME_PROVINCE, SAME_REGION, OTHER_REGION]),
        method=st.sampled_from(["cod", "stripe"]),
    )
    def test_order_total_is_the_sum_of_shop_orders_and_of_subtotals_and_shipping(
        self, shops, where, method
    ):
        buyer = UserFactory(role="buyer")
        expected_subtotals = {}
        for province, free_from, lines in shops:
            shop = shop_in(province, free_shipping_threshold=free_from)
            expected_subtotals[shop.pk] = 0
            for price, quantity, weight in lines:
                variant = stocked_variant(
                    shop=shop, price=price, weight_grams=weight, stock=quantity
                )
                cart_add(buyer, variant, quantity)
                expected_subtotals[shop.pk] += price * quantity

        order = checkout(buyer, method=method, where=where)

        shop_orders = list(order.shop_orders.prefetch_related("lines"))
        rates = {r.distance_class: r for r in ShippingRate.objects.all()}
        assert {so.shop_id: so.subtotal for so in shop_orders} == expected_subtotals
        for so in shop_orders:
            lines = list(so.lines.all())
            assert all(ln.line_total == ln.unit_price * ln.quantity for ln in lines)
            assert so.subtotal == sum(ln.line_total for ln in lines)
            assert so.total == so.subtotal + so.shipping_fee
            assert so.weight_grams == sum(ln.weight_grams * ln.quantity for ln in lines)
            threshold = getattr(
                getattr(so.shop, "shipping_policy", None), "free_shipping_threshold", None
            )
            if threshold is not None and so.subtotal >= threshold:
                assert so.shipping_fee == 0
            else:
                r = rates[so.distance_class]
                rate = Rate(r.base_weight_grams, r.base_fee, r.step_grams, r.step_fee)
                assert so.shipping_fee == fee_for_weight(rate=rate, weight_grams=so.weight_grams)
            for value in (so.subtotal, so.shipping_fee, so.total):
                assert type(value) is int
        assert order.total == sum(so.total for so in shop_orders)
        assert order.total == sum(so.subtotal + so.shipping_fee for so in shop_orders)
        assert order.subtotal == sum(expected_subtotals.values())
        assert order.payment.amount == order.total
        assert type(order.total) is int
