"""Reads of the public catalogue, all built on `shops.selectors.public_products()`.

Nothing here decides visibility: every queryset starts from that one selector. Prices
and stock are columns of the product (kept exact by the shops services), so filters and
orderings use indexes, counting a page stays a plain count and a page costs the same
number of queries whatever its size.
"""

from __future__ import annotations

import datetime
import functools
from contextlib import suppress
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import (
    DEFAULT_STORAGE_ALIAS,
    FileSystemStorage,
    InMemoryStorage,
    storages,
)
from django.db.models import (
    Avg,
    BinaryField,
    BooleanField,
    Count,
    DecimalField,
    Expression,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    TextField,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, NullIf

from marketplace.core.cache_guard import CacheUnavailable, cache_guard
from marketplace.core.catalogue_version import catalogue_version
from marketplace.core.clock import local_today
from marketplace.core.db import (
    BIGINT_MAX,
    date_from_db,
    datetime_from_db,
    prepared_cursor,
    prepared_rows,
    quoted_table,
)
from marketplace.core.search import search_words
from marketplace.ocop.reference import PRODUCT_GROUPS, StarRating
from marketplace.regions.models import Province
from orders.models import ProductRating
from shops.models import OcopCertificate, Product, ProductImage, ProductVariant, Shop
from shops.selectors import (
    public_products,
    public_products_count,
    public_products_count_sql,
    shops_visible_to,
)

ORDERINGS = ("price", "-price", "-rating", "-created")
# A one-letter typo in a query of a few words keeps 0.7 to 0.9 of its trigrams.
TYPO_MIN_SIMILARITY = 0.7


class _SpeltLike(Func):
    """pg_trgm's `text %> query`: the query is similar to a part of the text, answered
    from a trigram index on the text; PostgreSQL only."""

    arg_joiner = " %%> "
    template = "(%(expressions)s)"
    arity = 2
    output_field = BooleanField()


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
    """(code, name) of the 34 provinces, read once per process: the law's, changed only
    by `manage.py load_regions` (restart after a rename; see catalogue/0008)."""
    return tuple(Province.objects.order_by("code").values_list("code", "name"))


@functools.cache
def province_names() -> dict[str, str]:
    return dict(provinces())


# A query word starting more product words than this is looked up as a prefix instead:
# beyond a few dozen alternatives, one prefix scan costs less than their OR.
MAX_WORD_EXPANSIONS = 64


def _word_expansions(words: tuple[str, ...]) -> dict[str, list[str] | None]:
    """The words of product documents (`catalogue_search_word`) that each query word
    starts, or None for a word that starts more than MAX_WORD_EXPANSIONS of them. One
    fixed statement whatever the words (an array): prepared once per connection."""
    with prepared_cursor() as cursor:
        cursor.execute(
            "SELECT q.word, (SELECT array_agg(w.word) FROM ("
            "  SELECT word FROM catalogue_search_word"
            "  WHERE word >= q.word AND word < q.word || chr(1114111)"
            "  ORDER BY word LIMIT %s) w) "
            "FROM unnest(%s::text[]) AS q(word)",
            [MAX_WORD_EXPANSIONS + 1, list(words)],
        )
        found = dict(cursor.fetchall())
    return {
        word: None if len(found.get(word) or ()) > MAX_WORD_EXPANSIONS else found.get(word) or []
        for word in words
    }


def _document_query(words: tuple[str, ...], expansions: dict[str, list[str] | None]) -> str | None:
    """The tsquery of the products matching every word (each word: one of the document
    words it starts), or None when a word starts none."""
    groups = []
    for word in words:
        expanded = expansions[word]
        if expanded is None:
            groups.append(f"'{word}':*")
        elif not expanded:
            return None
        else:
            groups.append("(" + " | ".join(f"'{w}'" for w in expanded) + ")")
    return " & ".join(groups)


class _MatchesDocument(Expression):
    """`catalogue_search_document(search_text, catalogue_seller_text) @@ query`: the
    expression of the product word index (catalogue/migrations/0006), so PostgreSQL
    answers it from that index. `catalogue_seller_text` is a column of the catalogue's
    migrations, not of the model: named here, in SQL, on the query's product table.

    What a search filters or orders by the product's other columns reads it; a search
    alone reads the search entries instead (`search_first_ids`)."""

    output_field = BooleanField()

    def __init__(self, tsquery: str):
        super().__init__()
        self.tsquery = tsquery

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return (
            f"catalogue_search_document({table}.search_text, {table}.catalogue_seller_text)"
            " @@ %s::tsquery",
            (self.tsquery,),
        )


class _NameRank(Func):
    """How many of the query words start a word of the product's name
    (`' ' || search_name LIKE '% word%'`, one CASE per word): name matches rank above
    matches in the description, shop or province only. One expression rather than a
    tree of Case/When per word: a search compiles it in two queries."""

    output_field = IntegerField()

    def __init__(self, words: tuple[str, ...]):
        super().__init__(F("search_name"))
        self.words = words

    def as_sql(self, compiler, connection, **extra_context):
        name_sql, name_params = compiler.compile(self.get_source_expressions()[0])
        return _name_rank_sql(name_sql, name_params, self.words)


def _name_rank_sql(name_sql: str, name_params, words: tuple[str, ...]) -> tuple[str, list]:
    case = f"CASE WHEN (' ' || {name_sql}) LIKE %s THEN 1 ELSE 0 END"
    params: list = []
    for word in words:
        params += [*name_params, f"% {word}%"]
    return "(" + " + ".join([case] * len(words)) + ")", params


def _apply_search(
    queryset: QuerySet[Product], words: tuple[str, ...], *, typo: bool = False
) -> QuerySet[Product]:
    """Products with every word (word order free), ranked by how many of the words
    their name has: one tsquery over the word index.

    `typo`: the names spelt like the query instead, forgiving a typo. The
    listing asks for it when the words as typed find nothing (`SearchRows`)."""
    rank = _NameRank(words)
    if not typo:
        document_query = _document_query(words, _word_expansions(words))
        if document_query is None:
            # A word starts no word of any product: nothing as typed, known without
            # asking the index (an empty IN list is never sent to the database).
            return queryset.filter(pk__in=[]).annotate(search_rank=rank)
        return queryset.filter(_MatchesDocument(document_query)).annotate(search_rank=rank)
    # `search_name %> query` from the trigram index on the stored name; the stricter
    # bound keeps most queries with one wrong word out ("nuoc mam non la" is not a typo
    # of "nuoc mam phu quoc"); ranked by name words, then by that likeness.
    text = " ".join(words)
    similarity = WordSimilarity(Value(text), F("search_name"))
    return (
        queryset.alias(typo_similarity=similarity)
        .filter(_SpeltLike(F("search_name"), Value(text)), typo_similarity__gte=TYPO_MIN_SIMILARITY)
        .annotate(search_rank=rank + similarity)
    )


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


def _stored(column: str) -> Expression:
    """A value a listing filters, counts or orders by: the product's stored copy
    (`column`, catalogue/0009), which spares a join to every product's certificate or
    rating."""
    return _ListingColumn(column)


def _certificate_value(field: str) -> Expression:
    """The certificate's `stars` or `product_group`, as a listing reads it."""
    return _stored(f"catalogue_{field}")


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


class _ListingColumn(Expression):
    """A column of the catalogue's on the query's product table (PostgreSQL, see
    catalogue/migrations/0007 and 0009), kept by triggers; not fields of the model, so
    named here, in SQL: `catalogue_listing_item`, the item's JSON text up to its
    picture, read as its UTF-8 bytes (`bytea`: in a binary result, the bytes the page's
    answer is made of, neither decoded nor encoded again), `catalogue_listing_image`,
    the picture's path, the certificate's `catalogue_stars` and
    `catalogue_product_group`, or the product's `catalogue_rating`."""

    COLUMNS = {
        "catalogue_listing_item": ("convert_to({}, 'UTF8')", BinaryField()),
        "catalogue_listing_image": ("{}", TextField()),
        "catalogue_stars": ("{}", IntegerField()),
        "catalogue_product_group": ("{}", TextField()),
        "catalogue_rating": ("{}", DecimalField(max_digits=3, decimal_places=2)),
    }

    def __init__(self, column: str):
        template, output_field = self.COLUMNS[column]
        super().__init__(output_field=output_field)
        self.column, self.template = column, template

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(compiler.query.get_initial_alias())
        return self.template.format(f"{table}.{self.column}"), ()


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


def listing_page_queryset(
    query: ListingQuery, filtered: QuerySet[Product] | None, *, today: datetime.date | None = None
) -> CompiledPages | FilteredRows | SearchRows:
    """The listing's ordered rows with what an item shows, ready to slice into pages."""
    if not query.narrows:
        return _every_public_product_listing(today or local_today(), query.ordering)
    return listing_rows(filtered, query, today=today)


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


class SearchRows:
    """A search's listing rows, for Django's paginator (`count()`, then a slice).

    One query ranks every match on the products table alone and returns the ids of the
    first FIRST_IDS with the number of matches (`count(*) OVER ()`): the count and the
    first pages of any size cost one pass over the matches, not two. Only the page's
    products then get the joins and subqueries a listing item shows; one query doing
    both would join every match before sorting them. When the words as typed find
    nothing, the rows become those spelt like the query (PostgreSQL's typo tolerance),
    and `filtered` with them, so facets describe what is listed."""

    FIRST_IDS = 100

    def __init__(
        self,
        filtered: QuerySet[Product],
        query: ListingQuery,
        *,
        today: datetime.date | None = None,
    ):
        self.filtered = filtered
        self._query = query
        self._today = today
        self._total: int | None = None
        self._first_ids: list[int] = []

    def _ordered_ids(self) -> QuerySet:
        return order_listing(self.filtered, self._query).values_list("pk", flat=True)

    def _read_first_ids(self) -> None:
        rows = list(
            order_listing(self.filtered, self._query)
            .annotate(matches=Window(Count("pk")))
            .values_list("pk", "matches")[: self.FIRST_IDS]
        )
        self._first_ids = [pk for pk, _ in rows]
        self._total = rows[0][1] if rows else 0

    def count(self) -> int:
        if self._total is None:
            self._read_first_ids()
            if self._total == 0:
                self.filtered = listing_queryset(self._query, today=self._today, typo=True)
                self._read_first_ids()
        return self._total

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict]:
        if not isinstance(item, slice):
            raise TypeError("SearchRows are read by slices (pages).")
        total = self.count()
        start, stop, _ = item.indices(total)
        if stop <= len(self._first_ids) or len(self._first_ids) == total:
            ids = self._first_ids[start:stop]
        else:
            ids = list(self._ordered_ids()[start:stop])
        return listing_rows_by_ids(ids, today=self._today)


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


@functools.lru_cache(maxsize=32)
def _search_first_ids_sql(word_count: int) -> str:
    """The statement of `search_first_ids` for `word_count` words: the first
    `SearchRows.FIRST_IDS` ids and the number of matches, as `SearchRows` reads them and
    in its order, from the search entries alone (catalogue/migrations/0010): each entry
    carries the product's visibility (`public_products()`'s rule, on the entry's copy),
    creation time and name, so a search reads no product row until its page's.

    One statement per number of words, prepared once per connection: ranked first by
    name words, a search reads every match whatever its words, and only the word index
    finds them, so the generic plan (a bitmap scan of that index) is the plan every
    search gets planned anyway."""
    rank, _ = _name_rank_sql("search_name", [], ("",) * word_count)
    return (
        "SELECT product_id, count(*) OVER () FROM catalogue_search_entry"
        " WHERE public_until > %s AND document @@ %s::tsquery"
        f" ORDER BY {rank} DESC, created_at DESC, product_id DESC"
        f" LIMIT {SearchRows.FIRST_IDS}"
    )


def search_first_ids(
    words: tuple[str, ...], *, today: datetime.date | None = None
) -> tuple[int, list[int]]:
    """For a search of these words alone (PostgreSQL): the number of public products
    matching as typed and the ids of the first `SearchRows.FIRST_IDS` of them, in the
    listing's order; (0, []) when none does (the typo tolerance is `SearchRows`')."""
    document_query = _document_query(words, _word_expansions(words))
    if document_query is None:
        return 0, []
    _, rank_params = _name_rank_sql("search_name", [], words)
    with prepared_cursor() as cursor:
        cursor.execute(
            _search_first_ids_sql(len(words)),
            [today or local_today(), document_query, *rank_params],
        )
        rows = cursor.fetchall()
    return (rows[0][1] if rows else 0), [pk for pk, _ in rows]


def listing_rows(
    filtered: QuerySet[Product], query: ListingQuery, *, today: datetime.date | None = None
) -> FilteredRows | SearchRows:
    """A filtered listing's ordered rows: a search's `SearchRows`, otherwise
    `FilteredRows`."""
    if search_words(query.search):
        return SearchRows(filtered, query, today=today)
    return FilteredRows(filtered, query, today=today)


# Storages whose `url()` depends on nothing but the name and their base URL.
PLAIN_URL_STORAGES = (FileSystemStorage, InMemoryStorage)


def image_url(path: str | None) -> str | None:
    if not path:
        return None
    storage = storages[DEFAULT_STORAGE_ALIAS]
    if type(storage) in PLAIN_URL_STORAGES:
        return _plain_url(storage, storage.base_url, path)
    return storage.url(path)


@functools.lru_cache(maxsize=16384)
def _plain_url(storage, base_url: str | None, path: str) -> str:
    # Every listing item shows a picture: `url()` quotes and joins (urllib) about 10 µs
    # a call, a fifth of a page's Python. Keyed by the storage and its base URL too, so
    # a changed MEDIA_URL or STORAGES setting is never answered from here.
    return storage.url(path)


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
