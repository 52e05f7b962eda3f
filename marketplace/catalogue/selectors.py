"""Reads of the public catalogue, all built on `shops.selectors.public_products()`.

Nothing here decides visibility: every queryset starts from that one selector. Prices
and stock are columns of the product (kept exact by the shops services), so filters and
orderings use indexes, counting a page stays a plain count and a page costs the same
number of queries whatever its size.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf

from marketplace.core.catalogue_version import catalogue_version
from marketplace.core.db import prepared_cursor
from marketplace.core.search import normalise_search_text, search_words
from marketplace.ocop.reference import PRODUCT_GROUPS, StarRating
from marketplace.regions.models import Province
from orders.models import ProductRating
from shops.models import OcopCertificate, Product, ProductImage, ProductVariant, Shop
from shops.selectors import public_products, public_products_count, shops_visible_to
from shops.services.common import local_today

ORDERINGS = ("price", "-price", "-rating", "-created")
# A one-letter typo in a query of a few words keeps 0.7 to 0.9 of its trigrams.
TYPO_MIN_SIMILARITY = 0.7


class WordSimilarity(Func):
    """pg_trgm's `word_similarity(query, text)`: how well the query matches a part of
    the text, forgiving a typo; PostgreSQL only."""

    function = "word_similarity"
    arity = 2
    output_field = FloatField()


@dataclass(frozen=True)
class ListingQuery:
    """Validated listing filters (see api/serializers.py for the wire names)."""

    search: str = ""
    provinces: tuple[str, ...] = ()
    stars: tuple[int, ...] = ()
    product_groups: tuple[str, ...] = ()
    shop: str = ""
    min_price: int | None = None
    max_price: int | None = None
    in_stock: bool | None = None
    ordering: str = ""

    @property
    def filters(self) -> dict:
        """What narrows the products (everything but the order)."""
        return {k: v for k, v in vars(self).items() if k != "ordering"}

    @property
    def narrows(self) -> bool:
        """Whether any filter is set: without one, the listing is every public product."""
        return self.filters != ListingQuery().filters


def rating_expression():
    """The product's average rating, kept by the orders app's reviews in its
    `ProductRating` row (reached through the reverse one-to-one); null when unrated."""
    return F("rating_summary__rating")


def review_count_expression():
    return Coalesce(F("rating_summary__review_count"), Value(0), output_field=IntegerField())


def _first_image():
    images = ProductImage.objects.filter(product=OuterRef("pk")).order_by("position", "pk")
    picture = Coalesce(NullIf("thumbnail", Value("")), "image", output_field=TextField())
    return Subquery(images.annotate(picture=picture).values("picture")[:1])


@functools.cache
def provinces() -> tuple[tuple[str, str], ...]:
    """(code, name) of the 34 provinces: fixed by law, loaded by migration, read once."""
    return tuple(Province.objects.order_by("code").values_list("code", "name"))


@functools.cache
def province_names() -> dict[str, str]:
    return dict(provinces())


@functools.cache
def _province_search_docs() -> tuple[tuple[str, str], ...]:
    return tuple((code, f" {normalise_search_text(name)}") for code, name in provinces())


def _shops_by_word(words: tuple[str, ...]) -> dict[str, list[int]]:
    """Ids of the shops whose name has a word starting with each query word: one small
    query (trigram index on the shop's stored search name), so that product conditions
    get literal id lists, which PostgreSQL can combine with its other indexes."""
    if not words:
        return {}
    any_word = Q()
    for word in words:
        any_word |= Q(search_name__contains=word)
    rows = Shop.objects.filter(any_word).order_by().values_list("pk", "search_name")
    padded_rows = [(pk, f" {doc}") for pk, doc in rows]
    return {word: [pk for pk, doc in padded_rows if f" {word}" in doc] for word in words}


def _word_condition(word: str, shop_ids: list[int]) -> Q:
    """A product matches a word when its name or description contains it, or a word of
    its shop's or province's name starts with it. Name and description are matched as
    substrings of the stored `search_text`, which PostgreSQL answers from its trigram
    index."""
    padded = f" {word}"
    provinces = [code for code, doc in _province_search_docs() if padded in doc]
    condition = Q(search_text__contains=word)
    if shop_ids:
        condition |= Q(shop_id__in=shop_ids)
    if provinces:
        condition |= Q(origin_province_id__in=provinces)
    return condition


def _apply_search(queryset: QuerySet[Product], words: tuple[str, ...]) -> QuerySet[Product]:
    text = " ".join(words)
    shops = _shops_by_word(words)
    every_word = Q()
    rank = Value(0.0, output_field=FloatField())
    for word in words:
        every_word &= _word_condition(word, shops[word])
        # Each word found in the name weighs 2, found elsewhere 1.
        rank = rank + Case(
            When(search_name__contains=word, then=Value(2.0)),
            default=Value(1.0),
            output_field=FloatField(),
        )
    if connection.vendor != "postgresql":
        return queryset.filter(every_word).annotate(search_rank=rank)
    similarity = WordSimilarity(Value(text), F("search_name"))
    # Run the match once, not once for the count and again for the page.
    with connection.cursor() as cursor:
        cursor.execute(*_postgres_matches(words, shops))
        ids = [row[0] for row in cursor.fetchall()]
    return queryset.filter(
        RawSQL('"shops_product"."id" = ANY(%s)', (ids,), BooleanField())
    ).annotate(search_rank=rank + similarity)


def _postgres_matches(words: tuple[str, ...], shops: dict[str, list[int]]) -> tuple[str, list]:
    """The SQL and parameters of the ids of the products matching every word, or the
    whole query with a typo.

    The inner query reads its candidates from a BitmapOr of indexes (trigram GIN on the
    stored search text and name, shop and province foreign keys) for the longest word;
    the fence (OFFSET 0) keeps PostgreSQL from re-planning the other words into the
    index scan. Typo tolerance: `search_name %> query` (word similarity above pg_trgm's
    0.6 threshold) is answered from the trigram index; the stricter bound keeps most
    queries with one wrong word out ("nuoc mam non la" is not a typo of "nuoc mam phu
    quoc"). Visibility is not decided here: the ids only narrow `public_products()`.
    """
    text = " ".join(words)
    provinces = {
        word: [code for code, doc in _province_search_docs() if f" {word}" in doc] for word in words
    }
    longest = max(words, key=len)
    params: list = [f"%{longest}%", shops[longest], provinces[longest], text]
    every_word = []
    for word in words:
        every_word.append(
            "(c.search_text LIKE %s OR c.shop_id = ANY(%s) OR c.origin_province_id = ANY(%s))"
        )
        params += [f"%{word}%", shops[word], provinces[word]]
    params += [text, text, TYPO_MIN_SIMILARITY]
    sql = f"""
        SELECT c.id FROM (
            SELECT p.id, p.shop_id, p.origin_province_id, p.search_name, p.search_text
            FROM shops_product p
            WHERE p.search_text LIKE %s
               OR p.shop_id = ANY(%s)
               OR p.origin_province_id = ANY(%s)
               OR p.search_name %%> %s
            OFFSET 0
        ) c
        WHERE ({" AND ".join(every_word)})
           OR (c.search_name %%> %s AND word_similarity(%s, c.search_name) >= %s)
    """
    return sql, params


def listing_queryset(query: ListingQuery, *, today: datetime.date | None = None):
    """Public products matching the filters, ordered, with everything a listing item
    shows annotated or joined: one query per page, one for the count."""
    queryset = public_products(today=today)
    if query.provinces:
        queryset = queryset.filter(origin_province_id__in=query.provinces)
    if query.stars:
        queryset = queryset.filter(certificate__stars__in=query.stars)
    if query.product_groups:
        queryset = queryset.filter(certificate__product_group__in=query.product_groups)
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
        queryset = _apply_search(queryset, words)
    return queryset


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
        return queryset.alias(order_rating=rating_expression()).order_by(
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


class CompiledPages:
    """The pages of an ordered listing, compiled to SQL once and read one page (one
    statement) at a time, as `with_listing_fields()` rows.

    The page's ids are found first (an index walk that reads no other table), and only
    those rows are joined to their shop, certificate, rating and picture: a deep page
    costs about what the first one does. The page's bounds are written into the SQL
    (whole numbers from the paginator), so each page is a statement PostgreSQL prepares
    once per connection and then runs without planning it again."""

    ordered = True  # the paginator's check: the ORDER BY is in the SQL
    _LIMIT, _OFFSET = "/*page-limit*/", "/*page-offset*/"

    def __init__(self, ordered_products: QuerySet[Product], query: ListingQuery) -> None:
        ids_sql, ids_params = ordered_products.values("pk").query.sql_with_params()
        page_ids = RawSQL(
            f"SELECT * FROM ({ids_sql} LIMIT {self._LIMIT} OFFSET {self._OFFSET}) page_ids",
            ids_params,
        )
        page = with_listing_fields(order_listing(Product.objects.filter(pk__in=page_ids), query))
        self.names = [
            *page.query.extra_select,
            *page.query.values_select,
            *page.query.annotation_select,
        ]
        self.sql, self.params = page.query.sql_with_params()

    def __getitem__(self, item: slice) -> list[dict]:
        start = int(item.start or 0)
        sql = self.sql.replace(self._LIMIT, str(int(item.stop) - start)).replace(
            self._OFFSET, str(start)
        )
        with prepared_cursor() as cursor:
            cursor.execute(sql, self.params)
            rows = [dict(zip(self.names, row, strict=True)) for row in cursor.fetchall()]
        for row in rows:
            row["in_stock"] = bool(row["in_stock"])  # SQLite answers 0 or 1
        return rows


@functools.lru_cache(maxsize=16)
def _every_public_product_listing(today: datetime.date, ordering: str) -> CompiledPages:
    # Compiled once per day and ordering: the busiest page of the marketplace then
    # builds and compiles no query per request.
    query = ListingQuery(ordering=ordering)
    return CompiledPages(order_listing(listing_queryset(query, today=today), query), query)


def listing_page_queryset(
    query: ListingQuery, filtered: QuerySet[Product] | None, *, today: datetime.date | None = None
) -> QuerySet | CompiledPages:
    """The listing's ordered rows with what an item shows, ready to slice into pages."""
    if not query.narrows:
        return _every_public_product_listing(today or local_today(), query.ordering)
    return with_listing_fields(order_listing(filtered, query))


def with_listing_fields(queryset: QuerySet[Product]) -> QuerySet:
    """What a listing item shows, for the rows of one page only, as plain rows (no model
    instances: a page is the hottest answer of the marketplace). Province names come from
    `provinces()` in memory rather than two more joins."""
    return queryset.annotate(
        rating_value=rating_expression(),
        review_count_value=review_count_expression(),
        image_path=_first_image(),
    ).values(*LISTING_FIELDS)


def image_url(path: str | None) -> str | None:
    return default_storage.url(path) if path else None


def facets(queryset: QuerySet[Product]) -> dict:
    """Counts by stars, province and product group over the filtered products."""
    base = queryset.order_by()
    by_stars = dict(base.values_list("certificate__stars").annotate(n=Count("pk", distinct=True)))
    by_province = dict(
        base.values_list("origin_province_id").annotate(n=Count("pk", distinct=True))
    )
    by_group = dict(
        base.values_list("certificate__product_group").annotate(n=Count("pk", distinct=True))
    )
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


MAX_ID = 2**63 - 1  # the largest BigAutoField


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _date(value) -> datetime.date:
    # SQLite answers ISO text where PostgreSQL answers dates.
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _aware(value) -> datetime.datetime:
    if not isinstance(value, datetime.datetime):
        value = datetime.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=datetime.UTC)


def _detail_sql(*, nested: bool) -> str:
    product, shop, certificate = _table(Product), _table(Shop), _table(OcopCertificate)
    rating, variant, image = _table(ProductRating), _table(ProductVariant), _table(ProductImage)
    # On PostgreSQL the variants and images come along as JSON arrays: one round trip.
    nested_columns = (
        f""",
        (SELECT COALESCE(json_agg(json_build_array(v.id, v.sku, v.name, v.price, v.stock,
                                                   v.weight_grams) ORDER BY v.id), '[]')
         FROM {variant} v WHERE v.product_id = p.id),
        (SELECT COALESCE(json_agg(json_build_array(i.image, i.thumbnail)
                                  ORDER BY i.position, i.id), '[]')
         FROM {image} i WHERE i.product_id = p.id)"""
        if nested
        else ""
    )
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
    rather than querysets compiled per request: one on PostgreSQL, three elsewhere.
    Visibility is the stored rule of `shops.selectors.public_products()`:
    `public_until` after today; a test holds the two equal for every state."""
    if not 0 < product_id <= MAX_ID:
        return None
    today = today or local_today()
    nested = connection.vendor == "postgresql"
    with prepared_cursor() as cursor:
        cursor.execute(_detail_sql(nested=nested), [product_id, today])
        found = cursor.fetchone()
        if found is None:
            return None
        row = dict(zip(DETAIL_FIELDS, found, strict=False))
        if nested:
            variants, images = found[len(DETAIL_FIELDS) :]
        else:
            cursor.execute(
                f"SELECT id, sku, name, price, stock, weight_grams FROM {_table(ProductVariant)}"
                " WHERE product_id = %s ORDER BY id",
                [product_id],
            )
            variants = cursor.fetchall()
            cursor.execute(
                f"SELECT image, thumbnail FROM {_table(ProductImage)}"
                " WHERE product_id = %s ORDER BY position, id",
                [product_id],
            )
            images = cursor.fetchall()
    row["variants"] = [dict(zip(VARIANT_FIELDS, v, strict=True)) for v in variants]
    row["images"] = [tuple(i) for i in images]
    row["in_stock"] = bool(row["in_stock"])
    row["created_at"] = _aware(row["created_at"])
    row["certificate__issued_on"] = _date(row["certificate__issued_on"])
    row["certificate__expires_on"] = _date(row["certificate__expires_on"])
    return row


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
    by the calendar, without any write)."""
    key = f"catalogue:stats:{catalogue_version()}:{local_today().isoformat()}"
    stats = cache.get(key)
    if stats is None:
        stats = ocop_stats()
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
