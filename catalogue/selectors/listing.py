"""The listing: the filtered, ordered public products and the rows of a page, whether
every public product (`CompiledPages`, compiled once a day) or a filtered listing's
(`FilteredRows`), with what an item shows."""

from __future__ import annotations

import datetime
import functools

from django.db.models import BooleanField, F, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf

from catalogue.selectors.common import (
    ListingQuery,
    _certificate_value,
    _ListingColumn,
    _stored,
    rating_expression,
    review_count_expression,
)
from catalogue.selectors.words import _apply_search
from marketplace.core.clock import local_today
from marketplace.core.db import prepared_rows
from marketplace.core.search import search_words
from shops.models import Product, ProductImage
from shops.selectors import public_products, public_products_count, public_products_count_sql


def _first_image():
    images = ProductImage.objects.filter(product=OuterRef("pk")).order_by("position", "pk")
    picture = Coalesce(NullIf("thumbnail", Value("")), "image", output_field=TextField())
    return Subquery(images.annotate(picture=picture).values("picture")[:1])


def listing_queryset(
    query: ListingQuery, *, today: datetime.date | None = None, typo: bool = False
):
    """Public products matching the filters, ordered, with everything a listing item
    shows annotated or joined: one query per page, one for the count."""
    queryset = public_products(today=today)
    if query.provinces:
        queryset = queryset.filter(origin_province_id__in=query.provinces)
    if query.stars:
        queryset = _certificate_in(queryset, "stars", query.stars)
    if query.product_groups:
        queryset = _certificate_in(queryset, "product_group", query.product_groups)
    if query.shop:
        queryset = queryset.filter(shop__slug=query.shop)
    if query.in_stock is not None:
        queryset = queryset.filter(in_stock=query.in_stock)
    # On the cheapest variant (a product without any variant has no price: never in range).
    if query.min_price is not None:
        queryset = queryset.filter(price_min__gte=query.min_price)
    if query.max_price is not None:
        queryset = queryset.filter(price_min__lte=query.max_price)
    words = tuple(search_words(query.search))
    if words:
        queryset = _apply_search(queryset, words, typo=typo)
    return queryset


def _certificate_in(queryset: QuerySet[Product], field: str, values: list) -> QuerySet[Product]:
    """The products whose certificate's `field` is one of `values`."""
    name = f"listed_{field}"
    return queryset.alias(**{name: _certificate_value(field)}).filter(**{f"{name}__in": values})


def listing_count(query: ListingQuery, filtered: QuerySet[Product] | None) -> int:
    """How many products the listing has: without a filter, every public product, read
    from the tally ledger; otherwise the filtered products counted (without the joins
    a page needs for showing them)."""
    if not query.narrows:
        return public_products_count()
    return filtered.order_by().count()


def order_listing(queryset: QuerySet[Product], query: ListingQuery) -> QuerySet[Product]:
    newest = (F("created_at").desc(), F("pk").desc())
    # These match the partial indexes on shops.Product, so a page is an index walk.
    if query.ordering == "price":
        return queryset.order_by(F("price_min").asc(nulls_last=True), *newest)
    if query.ordering == "-price":
        return queryset.order_by(F("price_min").desc(nulls_last=True), *newest)
    if query.ordering == "-rating":
        # On PostgreSQL an index walk rather than every product joined to its rating.
        rating = _stored("catalogue_rating")
        return queryset.alias(order_rating=rating).order_by(
            F("order_rating").desc(nulls_last=True), *newest
        )
    if query.ordering == "-created" or not search_words(query.search):
        return queryset.order_by(*newest)
    return queryset.order_by(F("search_rank").desc(), *newest)


LISTING_FIELDS = (
    "pk",
    "name",
    "shop__slug",
    "shop__name",
    "shop__province_id",
    "origin_province_id",
    "certificate__stars",
    "certificate__product_group",
    "price_min",
    "price_max",
    "in_stock",
    "rating_value",
    "review_count_value",
    "image_path",
)


def _row_names(values: QuerySet) -> list[str]:
    """The keys of a `values()` queryset's rows, in the order of its SQL's columns."""
    query = values.query
    if query.selected is not None:  # the order values() asked for (Django 5.2+)
        return list(query.selected)
    return [*query.extra_select, *query.values_select, *query.annotation_select]


class CompiledPages:
    """The pages of an ordered listing, compiled to SQL once and read one page (one
    statement) at a time, as `with_listing_fields()` rows.

    The page's ids are found first (an index walk that reads no other table), and only
    those rows are joined to their shop, certificate, rating and picture: a deep page
    costs about what the first one does. The page's bounds are written into the SQL
    (whole numbers from the paginator), so each page is a statement PostgreSQL prepares
    once per connection and then runs without planning it again.

    `as_json` (PostgreSQL): rows of ITEM_JSON_FIELDS, the items stored on the products
    themselves, read by the same walk that finds the page: nothing to join."""

    ordered = True  # the paginator's check: the ORDER BY is in the SQL
    _LIMIT, _OFFSET = "/*page-limit*/", "/*page-offset*/"

    def __init__(
        self,
        ordered_products: QuerySet[Product],
        query: ListingQuery,
        *,
        total: RawSQL | None = None,
        as_json: bool = False,
    ) -> None:
        if as_json:
            page = ordered_products
        else:
            ids_sql, ids_params = ordered_products.values("pk").query.sql_with_params()
            page_ids = RawSQL(
                f"SELECT * FROM ({ids_sql} LIMIT {self._LIMIT} OFFSET {self._OFFSET}) page_ids",
                ids_params,
            )
            page = order_listing(Product.objects.filter(pk__in=page_ids), query)
        # `total`: how many rows all the pages have, a column of every row, so a page
        # and its count are one statement (one snapshot, one round trip).
        extra = ("listing_total",) if total is not None else ()
        if total is not None:
            page = page.annotate(listing_total=total)
        page = (_with_item_json if as_json else with_listing_fields)(page, *extra)
        self.names = _row_names(page)
        self.sql, self.params = page.query.sql_with_params()
        self.binary = as_json
        if as_json:
            self.sql += f" LIMIT {self._LIMIT} OFFSET {self._OFFSET}"

    def __getitem__(self, item: slice) -> list[dict]:
        start = int(item.start or 0)
        sql = self.sql.replace(self._LIMIT, str(int(item.stop) - start)).replace(
            self._OFFSET, str(start)
        )
        names = self.names
        rows = [
            dict(zip(names, row, strict=True))
            for row in prepared_rows(sql, self.params, binary=self.binary)
        ]
        return rows


# The columns of a stored item row, read in the binary format (`prepared_cursor`), in
# `api.serializers.listing_items_json()`'s order: the item's JSON text up to `"image":`
# as UTF-8 bytes (null for a product whose shop or certificate was not there when it
# was written: the general path answers its page) and the path of its picture.
ITEM_JSON_FIELDS = ("item_json", "image_path")


def _with_item_json(queryset: QuerySet[Product], *extra: str) -> QuerySet:
    return queryset.annotate(
        item_json=_ListingColumn("catalogue_listing_item"),
        image_path=_ListingColumn("catalogue_listing_image"),
    ).values(*ITEM_JSON_FIELDS, *extra)


@functools.lru_cache(maxsize=16)
def _every_public_product_listing(
    today: datetime.date, ordering: str, *, with_total: bool = False
) -> CompiledPages:
    # Compiled once per day and ordering: the busiest page of the marketplace then
    # builds and compiles no query per request.
    query = ListingQuery(ordering=ordering)
    total = RawSQL(*public_products_count_sql(today=today)) if with_total else None
    return CompiledPages(
        order_listing(listing_queryset(query, today=today), query),
        query,
        total=total,
        as_json=with_total,
    )


def every_public_product_page(
    *, ordering: str, start: int, stop: int, today: datetime.date | None = None
) -> tuple[int, list[dict]]:
    """Rows `start` to `stop` of the unfiltered listing and how many public products
    there are, in one statement; a page past the end has no rows and no total (0).

    Each row is ITEM_JSON_FIELDS (the stored item)."""
    rows = _every_public_product_listing(today or local_today(), ordering, with_total=True)[
        start:stop
    ]
    return (int(rows[0]["listing_total"]) if rows else 0), rows


def with_listing_fields(queryset: QuerySet[Product], *extra: str) -> QuerySet:
    """What a listing item shows, for the rows of one page only, as plain rows (no model
    instances: a page is the hottest answer of the marketplace). Province names come from
    `provinces()` in memory rather than two more joins. `extra`: more annotations of
    `queryset` to keep in the rows."""
    return queryset.annotate(
        rating_value=rating_expression(),
        review_count_value=review_count_expression(),
        image_path=_first_image(),
    ).values(*LISTING_FIELDS, *extra)


class FilteredRows:
    """A filtered listing's rows (no search), for Django's paginator, which slices a
    page: the page's ids first, chosen on the products table alone in the listing's
    order (an index walk, or a sort of the filtered ids), then only those products
    with what an item shows, by the statement every search page runs too (compiled
    once). Joining before choosing joins every filtered product (thousands for a star
    rating in a province); choosing in a subquery of the joining query costs twice as
    much to compile and plan as the two statements."""

    def __init__(
        self,
        filtered: QuerySet[Product],
        query: ListingQuery,
        *,
        today: datetime.date | None = None,
    ):
        self._ordered_ids = order_listing(filtered, query).values_list("pk", flat=True)
        self._today = today

    def __getitem__(self, item: slice) -> list[dict]:
        if not isinstance(item, slice):
            raise TypeError("FilteredRows are read by slices (pages).")
        return listing_rows_by_ids(list(self._ordered_ids[item]), today=self._today)


def listing_rows_by_ids(ids: list[int], *, today: datetime.date | None = None) -> list[dict]:
    """The public products of `ids` with what a listing item shows, in the order of
    `ids` (a product hidden since its id was read drops out)."""
    if not ids:
        return []
    today = today or local_today()
    return _in_order_of(ids, _public_listing_rows_by_ids(today).rows(ids))


def _in_order_of(ids: list[int], rows) -> list[dict]:
    """`rows` in the order of `ids`, without the ids no row has."""
    by_id = {row["pk"]: row for row in rows}
    return [by_id[pk] for pk in ids if pk in by_id]


@functools.lru_cache(maxsize=4)
def _public_listing_rows(today: datetime.date) -> QuerySet:
    # Still through the one visibility rule (a product hidden since a search read its
    # id drops out of the page), built once a day: a queryset is a description until
    # evaluated, and filtering clones it.
    return with_listing_fields(public_products(today=today).order_by())


class CompiledRowsByIds:
    """`_public_listing_rows(today).filter(pk__in=ids)` compiled to SQL once, the ids
    bound as one array parameter (PostgreSQL), so every search page runs the same
    prepared statement instead of building and compiling a queryset. `as_json`: rows
    of ITEM_JSON_FIELDS (the stored items) and `pk`."""

    def __init__(self, today: datetime.date, *, as_json: bool = False) -> None:
        marker = object()
        if as_json:
            page = _with_item_json(public_products(today=today).order_by(), "pk")
        else:
            page = _public_listing_rows(today)
        page = page.filter(RawSQL('"shops_product"."id" = ANY(%s)', (marker,), BooleanField()))
        self.names = _row_names(page)
        self.sql, params = page.query.sql_with_params()
        self.params = list(params)
        self.ids_at = next(i for i, param in enumerate(self.params) if param is marker)
        self.binary = as_json

    def rows(self, ids: list[int]) -> list[dict]:
        params = list(self.params)
        params[self.ids_at] = list(ids)
        rows = prepared_rows(self.sql, params, binary=self.binary)
        return [dict(zip(self.names, row, strict=True)) for row in rows]


@functools.lru_cache(maxsize=4)
def _public_listing_rows_by_ids(
    today: datetime.date, *, as_json: bool = False
) -> CompiledRowsByIds:
    return CompiledRowsByIds(today, as_json=as_json)


def listing_json_by_ids(ids: list[int], *, today: datetime.date | None = None) -> list[dict]:
    """The public products of `ids` as ITEM_JSON_FIELDS rows, in the order of `ids`
    (PostgreSQL)."""
    rows = _public_listing_rows_by_ids(today or local_today(), as_json=True).rows(ids)
    return _in_order_of(ids, rows)
