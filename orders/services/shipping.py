"""Shipping fees: per shop order, from the parcel's weight and how far it travels.

The fee table is `ShippingRate` (one row per distance class, edited by operators in the
admin; the checkout reads it with the cart); a shop's `ShopShippingPolicy` may waive the
fee above a subtotal.
"""

from __future__ import annotations

from dataclasses import dataclass

from marketplace.core.errors import Conflict
from marketplace.regions.models import Province
from marketplace.regions.selectors import DistanceClass, distance_class


@dataclass(frozen=True)
class Rate:
    base_weight_grams: int
    base_fee: int
    step_grams: int
    step_fee: int


def fee_for_weight(*, rate: Rate, weight_grams: int) -> int:
    """Base fee up to the base weight, then one step fee per started step beyond it
    (carriers round a 1.2 kg parcel up to the next 500 g)."""
    extra = max(0, weight_grams - rate.base_weight_grams)
    steps = -(-extra // rate.step_grams)
    return rate.base_fee + steps * rate.step_fee


def shipping_fee(
    *,
    rate: Rate | None,
    ships: bool,
    weight_grams: int,
    subtotal: int,
    free_threshold: int | None,
) -> int:
    """The fee one shop order pays. Nothing to ship (tourism tickets only) costs nothing;
    a subtotal at or above the shop's free-shipping threshold ships free.

    Raises Conflict `shipping_rate_missing` when the fee table lacks the distance."""
    if not ships:
        return 0
    if free_threshold is not None and subtotal >= free_threshold:
        return 0
    if rate is None:
        raise Conflict(
            "No shipping fee is set for this distance; an operator must add one.",
            code="shipping_rate_missing",
        )
    return fee_for_weight(rate=rate, weight_grams=weight_grams)


def shop_distance(*, shop_province: Province, buyer_province: Province) -> DistanceClass:
    return distance_class(from_province=shop_province, to_province=buyer_province)
