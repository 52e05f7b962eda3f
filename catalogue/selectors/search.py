"""A search's listing rows (`SearchRows`, the ranking pass on the search entries), and
which rows a listing page reads (`listing_page_queryset`)."""

from __future__ import annotations

import datetime
import functools

from django.db.models import Count, QuerySet, Window

from catalogue.selectors.common import ListingQuery
from catalogue.selectors.listing import (
    CompiledPages,
    FilteredRows,
    _every_public_product_listing,
    listing_queryset,
    listing_rows_by_ids,
    order_listing,
)
from catalogue.selectors.words import _document_query, _name_rank_sql, _word_expansions
from marketplace.core.clock import local_today
from marketplace.core.db import prepared_cursor
from marketplace.core.search import search_words
from shops.models import Product


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


def listing_page_queryset(
    query: ListingQuery, filtered: QuerySet[Product] | None, *, today: datetime.date | None = None
) -> CompiledPages | FilteredRows | SearchRows:
    """The listing's ordered rows with what an item shows, ready to slice into pages."""
    if not query.narrows:
        return _every_public_product_listing(today or local_today(), query.ordering)
    return listing_rows(filtered, query, today=today)
