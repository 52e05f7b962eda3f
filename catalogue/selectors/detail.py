"""One public product's page: a fixed statement written out, one round trip."""

from __future__ import annotations

import datetime
import functools

from marketplace.core.clock import local_today
from marketplace.core.db import (
    BIGINT_MAX,
    date_from_db,
    datetime_from_db,
    prepared_cursor,
    quoted_table,
)
from orders.models import ProductRating
from shops.models import OcopCertificate, Product, ProductImage, ProductVariant, Shop

# The columns of `_detail_sql()`, in order.
DETAIL_FIELDS = (
    "pk",
    "name",
    "description",
    "origin_province_id",
    "created_at",
    "price_min",
    "price_max",
    "in_stock",
    "shop__slug",
    "shop__name",
    "shop__legal_name",
    "shop__province_id",
    "shop__address",
    "shop__phone",
    "shop__tax_code",
    "shop__return_policy",
    "certificate__number",
    "certificate__issuer_name",
    "certificate__stars",
    "certificate__product_group",
    "certificate__issued_by_level",
    "certificate__issued_on",
    "certificate__expires_on",
    "rating_value",
    "review_count_value",
)


@functools.cache
def _detail_sql() -> str:
    product, shop, certificate, rating, variant, image = (
        quoted_table(model)
        for model in (Product, Shop, OcopCertificate, ProductRating, ProductVariant, ProductImage)
    )
    # The variants and images come along as JSON arrays: one round trip.
    nested_columns = f""",
        (SELECT COALESCE(json_agg(json_build_array(v.id, v.sku, v.name, v.price, v.stock,
                                                   v.weight_grams) ORDER BY v.id), '[]')
         FROM {variant} v WHERE v.product_id = p.id),
        (SELECT COALESCE(json_agg(json_build_array(i.image, i.thumbnail)
                                  ORDER BY i.position, i.id), '[]')
         FROM {image} i WHERE i.product_id = p.id)"""
    return f"""
        SELECT p.id, p.name, p.description, p.origin_province_id, p.created_at,
               p.price_min, p.price_max, p.in_stock,
               s.slug, s.name, s.legal_name, s.province_id, s.address, s.phone,
               s.tax_code, s.return_policy,
               c.number, c.issuer_name, c.stars, c.product_group, c.issued_by_level,
               c.issued_on, c.expires_on,
               r.rating, COALESCE(r.review_count, 0){nested_columns}
        FROM {product} p
        JOIN {shop} s ON s.id = p.shop_id
        JOIN {certificate} c ON c.id = p.certificate_id
        LEFT JOIN {rating} r ON r.product_id = p.id
        WHERE p.id = %s AND p.public_until > %s
    """


VARIANT_FIELDS = ("pk", "sku", "name", "price", "stock", "weight_grams")


def product_detail(*, product_id: int, today: datetime.date | None = None) -> dict | None:
    """One public product as plain rows: the product with its shop and certificate, its
    `variants` and its `images` (image, thumbnail paths), or None.

    The second most read answer of the marketplace, so fixed statements written out
    rather than querysets compiled per request: one statement.
    Visibility is the stored rule of `shops.selectors.public_products()`:
    `public_until` after today; a test holds the two equal for every state."""
    if not 0 < product_id <= BIGINT_MAX:
        return None
    today = today or local_today()
    with prepared_cursor() as cursor:
        cursor.execute(_detail_sql(), [product_id, today])
        found = cursor.fetchone()
    if found is None:
        return None
    row = dict(zip(DETAIL_FIELDS, found, strict=False))
    variants, images = found[len(DETAIL_FIELDS) :]
    row["variants"] = [dict(zip(VARIANT_FIELDS, v, strict=True)) for v in variants]
    row["images"] = [tuple(i) for i in images]
    row["in_stock"] = bool(row["in_stock"])
    row["created_at"] = datetime_from_db(row["created_at"])
    row["certificate__issued_on"] = date_from_db(row["certificate__issued_on"])
    row["certificate__expires_on"] = date_from_db(row["certificate__expires_on"])
    return row
