"""The listing columns of a product (`price_min`, `price_max`, `in_stock`), denormalised
from its variants so that the catalogue filters, orders and shows them without one
subquery per row. Every write that creates, deletes or reprices a variant or moves its
stock calls `product_refresh_listing()` in its own transaction, so the columns are exact
whenever anyone can read them. (Stock batches call it only for products with a variant
that ran out or came back: prices do not move with stock, and `in_stock` only then.)
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Exists, Max, Min, OuterRef, Subquery

from marketplace.core.clock import local_today
from marketplace.core.db import date_from_db, quoted_table
from shops.models import Product, ProductVariant, PublicProductTally


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


def public_tally_compact(*, today: datetime.date | None = None) -> int:
    """Fold the public tally ledger into one row per date still to come, dropping the
    dates that have passed (no count reads them again). Returns the rows kept.

    One `DELETE ... RETURNING` takes every row this transaction can see; rows other
    transactions commit meanwhile are not seen, so not deleted, so never lost, and a
    second run at the same time waits for the first and folds what is left. Readers see
    the ledger before or after, both with the same sums. Idempotent; raises nothing.

    The folded rows carry their running totals (`products_from`, see the model), so
    only one set of them may exist: runs are serialised (an advisory lock, taken before
    the DELETE so that a second run's DELETE sees the first's rows)."""
    today = today or local_today()
    table = quoted_table(PublicProductTally)
    totals: Counter[datetime.date] = Counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TALLY_COMPACT_LOCK])
            cursor.execute(f"DELETE FROM {table} RETURNING public_until, products")
            for raw_day, products in cursor.fetchall():
                day = date_from_db(raw_day)
                if day > today:
                    totals[day] += products
        kept = [
            PublicProductTally(public_until=day, products=n)
            for day, n in sorted(totals.items())
            if n
        ]
        running = 0
        for row in reversed(kept):
            running += row.products
            row.products_from = running
        PublicProductTally.objects.bulk_create(kept)
    return len(kept)


# The advisory lock key of `public_tally_compact()` (any fixed bigint of this project's).
TALLY_COMPACT_LOCK = 7_460_117_001
