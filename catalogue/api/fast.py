"""The catalogue API's fast path: the unfiltered listing's pages and a plain search's
answered from one statement each, the items as PostgreSQL stored them (JSON written by
the database), without a paginator. `views.ProductListView` offers them here first and
answers through its general path (querysets, the paginator, the serializers) whatever
these leave (return None for); the answers must be the same bytes
(tests/catalogue/test_api_fast.py)."""

from __future__ import annotations

import functools
import math
from json.encoder import encode_basestring
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.encoding import escape_uri_path, iri_to_uri

from catalogue import selectors
from catalogue.api import serializers as s
from catalogue.api.caching import RenderedJson
from marketplace.core.pagination import PageNumberPagination
from marketplace.core.search import search_words


def every_public_product_page(request) -> dict | RenderedJson | None:
    """The unfiltered listing's page exactly as the paginated path answers it, from one
    statement (the rows and the count) and without a paginator: the marketplace's
    busiest answer. None for anything but one page number in range (a bad, repeated or
    missing page, an empty catalogue), which the general path answers with its errors."""
    page = _page_asked(request)
    if page is None:
        return None
    django_request, number, size = page
    total, rows = selectors.every_public_product_page(
        ordering="", start=(number - 1) * size, stop=number * size
    )
    if not rows or number > math.ceil(total / size):
        return None
    if "item_json" not in rows[0]:  # not PostgreSQL: the rows' fields
        return {
            "count": total,
            **_links(django_request, number, size, total),
            "results": [s.listing_item(row) for row in rows],
        }
    return _page_json(django_request, number, size, total, rows)


def search_page(request) -> RenderedJson | None:
    """A search (`search`, `page`, `page_size` and nothing else) answered as the
    paginated path answers it, on PostgreSQL: the words bound into a statement compiled
    once, the page's items as PostgreSQL stored them. None for anything else (input
    to reject, no match as typed, a page past the first ids), which the general path
    answers (its typo tolerance, its errors)."""
    page = _page_asked(request)
    if page is None:
        return None
    django_request, number, size = page
    raw = django_request.GET.get("search", "")
    # ListingParamsSerializer's `search`: stripped, at most 200 characters, no NUL or
    # surrogate; anything else is its to reject.
    search = raw.strip()
    if len(search) > s.MAX_SEARCH or "\x00" in raw or _surrogates(raw):
        return None
    words = tuple(search_words(search))
    if not words:
        return None
    total, ids = selectors.search_first_ids(words)
    start, stop = (number - 1) * size, number * size
    if not total or number > math.ceil(total / size):
        return None
    if stop > len(ids) and len(ids) < total:
        return None
    rows = selectors.listing_json_by_ids(ids[start:stop])
    if not rows:
        return None
    return _page_json(django_request, number, size, total, rows)


def _surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def _page_asked(request) -> tuple[HttpRequest, int, int] | None:
    """Django's request, the page number and the page size when the query names each
    parameter once, in plain ASCII, with a page number in digits: what the own paths
    answer. None otherwise (the paginator's to judge)."""
    size = PageNumberPagination().get_page_size(request)
    django_request = request._request  # DRF's Request forwards every attribute read
    query = django_request.META.get("QUERY_STRING", "")
    if not query.isascii() or "#" in query:
        return None
    params = django_request.GET
    if any(len(params.getlist(key)) != 1 for key in params):
        return None
    raw = params.get("page") or "1"
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        return None
    return django_request, int(raw), size


def _links(request: HttpRequest, number: int, size: int, total: int) -> dict:
    """`next` and `previous` as DRF's PageNumberPagination writes them (replace or
    remove `page` in the request's absolute URL: the parameters sorted by name and
    urlencoded), for a query that names each parameter once."""
    base = _link_base(request._current_scheme_host, request.path)
    rest = [(key, value) for key, value in request.GET.items() if key != "page"]

    # Names and values of ASCII letters, digits and `_` (`?page=2&page_size=50`) need
    # no quoting: joined as urlencode() would write them.
    plain = all(
        f"{key}{value}".isascii() and f"{key}{value}".replace("_", "").isalnum()
        for key, value in rest
    )

    def link(page: int | None) -> str:
        pairs = sorted(rest + ([("page", str(page))] if page is not None else []))
        query = "&".join(f"{k}={v}" for k, v in pairs) if plain else urlencode(pairs)
        return f"{base}?{query}" if query else base

    return {
        "next": link(number + 1) if number < math.ceil(total / size) else None,
        "previous": None if number == 1 else link(number - 1 if number > 2 else None),
    }


def _page_json(
    request: HttpRequest, number: int, size: int, total: int, rows: list[dict]
) -> RenderedJson | None:
    """The page's answer from stored items (`selectors.ITEM_JSON_FIELDS` rows), in the
    bytes `render_json()` writes for the paginated path's answer; None when an item is
    not stored."""
    items = s.listing_items_json(rows)
    if items is None:
        return None
    links = _links(request, number, size, total)
    head = (
        f'{{"count":{total},"next":{_json_link(links["next"])},'
        f'"previous":{_json_link(links["previous"])},"results":['
    )
    return RenderedJson(b"".join((head.encode(), items, b"]}")))


def _json_link(link: str | None) -> str:
    # What render_json_text() writes for a string or None, without json.dumps' checks.
    return "null" if link is None else encode_basestring(link)


@functools.lru_cache(maxsize=64)
def _link_base(scheme_host: str, path: str) -> str:
    """`request.build_absolute_uri()` without its query, as DRF's links start."""
    return iri_to_uri(scheme_host + escape_uri_path(path))
