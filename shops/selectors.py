"""Reads. `public_products()` is THE visibility rule: the catalogue, cart and checkout
all build on it, and nothing else decides what a buyer may see or buy."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from marketplace.core.clock import local_today
from marketplace.core.db import prepared_cursor, quoted_table
from shops.models import (
    CertificateStatus,
    ImportJob,
    OcopCertificate,
    Product,
    ProductVariant,
    PublicProductTally,
    Shop,
    ShopStatus,
    StockMovement,
)


def public_products(*, today: datetime.date | None = None) -> QuerySet[Product]:
    """Products on sale: the shop is active, the certificate is approved and has not
    expired (by today's date in Vietnam; it is invalid on its expiry date), and the
    product itself is active. All of it is stored in `Product.public_until` (see
    `products_refresh_public_until`), so this reads the products table alone."""
    today = today or local_today()
    return Product.objects.filter(public_until__gt=today)


def public_products_count_sql(*, today: datetime.date | None = None) -> tuple[str, list]:
    """`public_products().count()` as SQL and its parameters, summing the tally ledger's
    few rows: for a statement that reads it along with something else."""
    today = today or local_today()
    table = quoted_table(PublicProductTally)
    # See PublicProductTally: the first folded row after today, and the rows added
    # since the last folding.
    return (
        f"SELECT COALESCE((SELECT products_from FROM {table}"
        "  WHERE products_from IS NOT NULL AND public_until > %s"
        "  ORDER BY public_until LIMIT 1), 0)"
        f" + COALESCE((SELECT SUM(products) FROM {table}"
        "  WHERE products_from IS NULL AND public_until > %s), 0)",
        [today, today],
    )


def public_products_count(*, today: datetime.date | None = None) -> int:
    """`public_products().count()`, from the tally ledger's few rows."""
    # Every listing page without a filter asks this: one fixed statement, not an
    # aggregate compiled per request.
    with prepared_cursor() as cursor:
        cursor.execute(*public_products_count_sql(today=today))
        return int(cursor.fetchone()[0])


def public_variants(*, today: datetime.date | None = None) -> QuerySet[ProductVariant]:
    """Variants a buyer may put in a cart and check out: those of public products."""
    return ProductVariant.objects.filter(product__in=public_products(today=today).values("pk"))


def product_is_public(*, product_id: int, today: datetime.date | None = None) -> bool:
    return public_products(today=today).filter(pk=product_id).exists()


def shops_visible_to(user) -> QuerySet[Shop]:
    """Active shops for everyone; members also see their own; operators see all."""
    if user is not None and user.is_authenticated:
        if user.is_operator:
            return Shop.objects.all()
        return Shop.objects.filter(
            Q(status=ShopStatus.ACTIVE) | Q(memberships__user=user)
        ).distinct()
    return Shop.objects.filter(status=ShopStatus.ACTIVE)


def shop_products(*, shop: Shop) -> QuerySet[Product]:
    """The shop's own view: every product, whatever its status."""
    return (
        Product.objects.filter(shop=shop)
        .select_related("certificate", "origin_province")
        .prefetch_related("variants", "images")
    )


def shop_certificates(*, shop: Shop) -> QuerySet[OcopCertificate]:
    return OcopCertificate.objects.filter(shop=shop).select_related("issuing_province")


def shop_imports(*, shop: Shop) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(shop=shop)


def variant_movements(*, variant: ProductVariant) -> QuerySet[StockMovement]:
    return StockMovement.objects.filter(variant=variant).order_by("-pk")


def certificates_for_review() -> QuerySet[OcopCertificate]:
    return OcopCertificate.objects.filter(status=CertificateStatus.PENDING).select_related(
        "shop", "issuing_province"
    )
