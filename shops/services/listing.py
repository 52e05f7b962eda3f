"""The listing columns of a product (`price_min`, `price_max`, `in_stock`), denormalised
from its variants so that the catalogue filters, orders and shows them without one
subquery per row. Every write that creates, deletes or reprices a variant or moves its
stock calls `product_refresh_listing()` in its own transaction, so the columns are exact
whenever anyone can read them. (Stock batches call it only for products with a variant
that ran out or came back: prices do not move with stock, and `in_stock` only then.)
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, Max, Min, OuterRef, Subquery

from shops.models import Product, ProductVariant


def _variants_of_outer_product():
    return ProductVariant.objects.filter(product=OuterRef("pk")).order_by()


def product_refresh_listing(*, product_ids: Iterable[int]) -> int:
    """Recompute the listing columns of these products from their variants: ONE UPDATE
    whatever the number of products (a checkout of many lines costs one statement).
    Returns the number of products updated; unknown ids are ignored. Raises nothing."""
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return 0
    variants = _variants_of_outer_product().values("product")
    return Product.objects.filter(pk__in=ids).update(
        price_min=Subquery(variants.annotate(v=Min("price")).values("v")),
        price_max=Subquery(variants.annotate(v=Max("price")).values("v")),
        in_stock=Exists(_variants_of_outer_product().filter(stock__gt=0)),
    )
