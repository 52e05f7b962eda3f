"""Counts over the public products: a listing's facets, the OCOP statistics (cached
under the catalogue version) and the public shops."""

from __future__ import annotations

import datetime
from contextlib import suppress

from django.conf import settings
from django.core.cache import cache
from django.db.models import (
    Avg,
    Count,
    Expression,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from catalogue.selectors.common import _certificate_value, provinces
from marketplace.core.cache_guard import CacheUnavailable, cache_guard
from marketplace.core.catalogue_version import catalogue_version
from marketplace.core.clock import local_today
from marketplace.ocop.reference import PRODUCT_GROUPS, StarRating
from shops.models import Product, Shop
from shops.selectors import public_products, shops_visible_to


def facets(queryset: QuerySet[Product]) -> dict:
    """Counts by stars, province and product group over the filtered products."""
    base = queryset.order_by()

    def count_by(value: Expression) -> dict:
        rows = base.annotate(facet=value).values_list("facet")
        return dict(rows.annotate(n=Count("pk", distinct=True)))

    by_stars = count_by(_certificate_value("stars"))
    by_province = count_by(F("origin_province_id"))
    by_group = count_by(_certificate_value("product_group"))
    names = dict(provinces())
    return {
        "stars": {str(s): by_stars.get(s, 0) for s in StarRating.values},
        "province": [
            {"code": code, "name": names.get(code, code), "count": n}
            for code, n in sorted(by_province.items())
        ],
        "product_group": [
            {"code": g.code, "name": g.name, "count": by_group.get(g.code, 0)}
            for g in PRODUCT_GROUPS
        ],
    }


def ocop_stats(*, today: datetime.date | None = None) -> dict:
    """Public products by star and by province (origin), as provinces publish them."""
    rows = (
        public_products(today=today)
        .order_by()
        .values_list("origin_province_id", "certificate__stars")
        .annotate(n=Count("pk"))
    )
    stars_keys = [str(s) for s in StarRating.values]
    per_province: dict[str, dict[str, int]] = {}
    for province_id, stars, n in rows:
        per_province.setdefault(province_id, dict.fromkeys(stars_keys, 0))[str(stars)] += n
    by_stars = dict.fromkeys(stars_keys, 0)
    for counts in per_province.values():
        for key, n in counts.items():
            by_stars[key] += n
    total = sum(by_stars.values())
    return {
        "total": total,
        "by_stars": by_stars,
        "share_by_stars": {
            key: round(n * 100 / total, 1) if total else 0.0 for key, n in by_stars.items()
        },
        "by_province": [
            {
                "code": code,
                "name": name,
                "total": sum(per_province.get(code, {}).values()),
                "by_stars": per_province.get(code, dict.fromkeys(stars_keys, 0)),
            }
            for code, name in provinces()
        ],
    }


def cached_ocop_stats() -> dict:
    """`ocop_stats()` kept in the cache under the catalogue version (bumped whenever a
    shop, certificate, product or variant changes) and today's date (certificates expire
    by the calendar, without any write). Counted afresh while the cache is down."""
    today = local_today().isoformat()
    try:
        with cache_guard():
            key = f"catalogue:stats:{catalogue_version()}:{today}"
            stats = cache.get(key)
    except CacheUnavailable:
        return ocop_stats()
    if stats is None:
        stats = ocop_stats()
        with suppress(CacheUnavailable), cache_guard():
            cache.set(key, stats, timeout=settings.CATALOGUE_STATS_SECONDS)
    return stats


def public_shops() -> QuerySet[Shop]:
    """The shops anyone may see (shops' own rule, for an anonymous visitor) with their
    public products count and average product rating."""
    public = public_products().filter(shop=OuterRef("pk")).order_by().values("shop")
    counted = Subquery(public.annotate(n=Count("pk")).values("n"), output_field=IntegerField())
    queryset = shops_visible_to(None)
    rated = public.filter(rating_summary__review_count__gt=0)
    return queryset.annotate(
        public_products_count=Coalesce(counted, 0),
        rating_value=Subquery(
            rated.annotate(r=Avg("rating_summary__rating")).values("r"),
            output_field=FloatField(),
        ),
    )
