"""The starting fee table, in the shape Vietnamese carriers publish (GHN, GHTK, Viettel
Post price by distance class, a base weight, then per started 500 g). Operators change
it in the admin. Shared by the data migration and tests that rebuild reference data."""

DEFAULT_RATES = [
    # distance class, base weight (g), base fee (đồng), step (g), fee per step (đồng)
    ("same_province", 3000, 22_000, 500, 2_500),
    ("same_region", 500, 30_000, 500, 5_000),
    ("other_region", 500, 35_000, 500, 5_000),
]


def add_rates(model) -> None:
    """Fill in any distance class the table lacks; never overwrites an operator's edit."""
    for distance_class, base_weight, base_fee, step, step_fee in DEFAULT_RATES:
        model.objects.get_or_create(
            distance_class=distance_class,
            defaults={
                "base_weight_grams": base_weight,
                "base_fee": base_fee,
                "step_grams": step,
                "step_fee": step_fee,
            },
        )


def add_rates_now() -> None:
    from orders.models import ShippingRate

    add_rates(ShippingRate)
