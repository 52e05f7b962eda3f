"""The checkout's read of the buyer's cart: locked, then read in one statement with
everything the order is written from, then emptied of the lines it became."""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from marketplace.core.clock import local_today
from marketplace.core.db import date_from_db, prepared_cursor, prepared_rows, quoted_table
from marketplace.regions.models import Province, Ward
from marketplace.regions.selectors import DistanceClass
from orders.models import Cart, CartItem, ShippingRate, ShopShippingPolicy
from orders.services.checkout_guards import open_orders_cap, open_orders_count_sql
from orders.services.shipping import Rate
from shops.models import OcopCertificate, Product, ProductVariant, Shop


@dataclass(frozen=True)
class CheckoutLine:
    """A cart line as the checkout reads it: the variant with its product, certificate
    and shop attached, whether it is still on sale, the shop's free-shipping threshold,
    and the shipping address's ward and province (None when that ward is not in that
    province)."""

    pk: int
    variant_id: int
    quantity: int
    service_date: datetime.date | None
    variant: ProductVariant
    on_sale: bool
    free_threshold: int | None
    ward_name: str | None
    province_name: str | None
    macro_region: str | None


@dataclass(frozen=True)
class CheckoutCart:
    """The cart's lines, the fee table by distance class (empty when the cart is), and
    how many open orders the buyer holds (up to the cap; see checkout_guards)."""

    lines: list[CheckoutLine]
    rates: dict[str, Rate]
    open_orders: int


def cart_lock(*, buyer) -> None:
    """Lock the buyer's cart row until the transaction ends. A second checkout of the
    same cart (another Idempotency-Key, a second device, a double tap) waits here, and
    then reads the cart the first one emptied: one cart makes one order. Its own
    statement: a statement's snapshot is taken before it waits for a lock, so the lines
    must be read by the next one."""
    prepared_rows(_cart_lock_sql(), [buyer.pk])


@functools.cache
def _cart_lock_sql() -> str:
    return f"SELECT id FROM {quoted_table(Cart)} WHERE buyer_id = %s FOR UPDATE"


def cart_lines_read(*, buyer, province_code: str, ward_code: str) -> CheckoutCart:
    """The buyer's cart in one read, with everything the order is written from, and the
    buyer's open orders counted."""
    # One fixed statement, prepared once per connection: building and compiling the
    # equivalent six-table query cost more than all of the checkout's writes.
    rows = prepared_rows(
        _cart_lines_sql(),
        {
            "today": local_today(),
            "buyer": buyer.pk,
            "ward": ward_code,
            "province": province_code,
            "open_cap": open_orders_cap(),
        },
    )
    shops: dict[int, Shop] = {}
    lines = []
    for row in rows:
        (
            item_id,
            variant_id,
            quantity,
            service_date,
            sku,
            variant_name,
            price,
            weight_grams,
            product_id,
            product_name,
            stars,
            product_group,
            shop_id,
        ) = row[:13]
        shop = shops.get(shop_id)
        if shop is None:
            shop = shops[shop_id] = Shop(
                id=shop_id,
                slug=row[13],
                name=row[14],
                commission_bp=row[15],
                province=Province(code=row[16], macro_region=row[17]),
            )
        certificate = OcopCertificate(stars=stars, product_group=product_group)
        product = Product(id=product_id, name=product_name, certificate=certificate)
        variant = ProductVariant(
            id=variant_id,
            sku=sku,
            name=variant_name,
            price=price,
            weight_grams=weight_grams,
            product=product,
            shop=shop,
        )
        lines.append(
            CheckoutLine(
                pk=item_id,
                variant_id=variant_id,
                quantity=quantity,
                service_date=None if service_date is None else date_from_db(service_date),
                variant=variant,
                on_sale=bool(row[18]),
                free_threshold=row[19],
                ward_name=row[20],
                province_name=row[21],
                macro_region=row[22],
            )
        )
    rates = {}
    open_orders = 0
    if rows:
        open_orders = rows[0][23]
        fees = rows[0][24:]
        for n, distance in enumerate(DistanceClass.values):
            values = fees[n * len(_RATE_FIELDS) : (n + 1) * len(_RATE_FIELDS)]
            if values[0] is not None:
                rates[distance] = Rate(**dict(zip(_RATE_FIELDS, values, strict=True)))
    return CheckoutCart(lines=lines, rates=rates, open_orders=open_orders)


# The fee table (a row per distance class) is read with the cart, beside every line.
_RATE_FIELDS = ("base_weight_grams", "base_fee", "step_grams", "step_fee")


@functools.cache
def _cart_lines_sql() -> str:
    rate_columns = ", ".join(
        f"rate_{distance}.{field}" for distance in DistanceClass.values for field in _RATE_FIELDS
    )
    rate_joins = "\n    ".join(
        f"LEFT JOIN {quoted_table(ShippingRate)} rate_{distance}"
        f" ON rate_{distance}.distance_class = '{distance}'"
        for distance in DistanceClass.values
    )
    return f"""SELECT item.id, item.variant_id, item.quantity, item.service_date,
        variant.sku, variant.name, variant.price, variant.weight_grams,
        product.id, product.name, certificate.stars, certificate.product_group,
        shop.id, shop.slug, shop.name, shop.commission_bp, shop.province_id,
        shop_province.macro_region,
        product.public_until > %(today)s, policy.free_shipping_threshold,
        address.ward_name, address.province_name, address.macro_region,
        {open_orders_count_sql()},
        {rate_columns}
    FROM {quoted_table(CartItem)} item
    JOIN {quoted_table(Cart)} cart ON cart.id = item.cart_id
    JOIN {quoted_table(ProductVariant)} variant ON variant.id = item.variant_id
    JOIN {quoted_table(Product)} product ON product.id = variant.product_id
    JOIN {quoted_table(OcopCertificate)} certificate ON certificate.id = product.certificate_id
    JOIN {quoted_table(Shop)} shop ON shop.id = variant.shop_id
    JOIN {quoted_table(Province)} shop_province ON shop_province.code = shop.province_id
    LEFT JOIN {quoted_table(ShopShippingPolicy)} policy ON policy.shop_id = shop.id
    LEFT JOIN (
        SELECT ward.name AS ward_name, province.name AS province_name,
            province.macro_region AS macro_region
        FROM {quoted_table(Ward)} ward
        JOIN {quoted_table(Province)} province ON province.code = ward.province_id
        WHERE ward.code = %(ward)s AND ward.province_id = %(province)s
    ) address ON 1 = 1
    {rate_joins}
    WHERE cart.buyer_id = %(buyer)s
    ORDER BY item.id"""


def cart_lines_remove(item_ids: list[int]) -> None:
    """Delete these cart lines (the ones the order was written from)."""
    # One statement whatever the number of lines: prepared once per connection.
    with prepared_cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quoted_table(CartItem)} WHERE id = ANY(%s::bigint[])", [item_ids]
        )
