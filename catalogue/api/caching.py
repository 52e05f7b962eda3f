"""HTTP caching for anonymous catalogue reads, and the optional server-side page cache.

Every answer carries a strong ETag (a hash of its body) and `Cache-Control: public`;
a matching `If-None-Match` gets a 304. With CATALOGUE_CACHE_SECONDS > 0 the rendered
body is also kept in the cache (Redis in production) under the catalogue version, which
any visibility change bumps, and today's date, on which certificate expiry depends.

A page is keyed on the parameters its view reads (`known_params`), sorted, never on the
raw query string: `&x=<random>` cannot make every request a miss. Unknown parameters are
dropped from the request before the answer is built, so that nothing they carry (its
`next` link) is served to another query under the same key. The cache is an
optimisation only: when it fails the answer is built from the database (`cache_guard`).
"""

from __future__ import annotations

import functools
import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import suppress
from typing import NamedTuple
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator as DjangoPaginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified, QueryDict
from django.utils.functional import cached_property
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from marketplace.core.cache_guard import CacheUnavailable, cache_guard
from marketplace.core.catalogue_version import (
    catalogue_version,
    catalogue_versions_polled,
    product_content_version,
)
from marketplace.core.clock import local_today
from marketplace.core.errors import is_statement_timeout, statement_timeout_response
from marketplace.core.pagination import PageNumberPagination


def render_json(data) -> bytes:
    # What DRF's JSONRenderer writes (compact, UTF-8), without its per-call overhead.
    if isinstance(data, RenderedJson):
        return data
    return render_json_text(data).encode()


def render_json_text(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class RenderedJson(bytes):
    """An answer `build()` wrote as JSON itself, in the bytes `render_json()` would."""


def _etag(body: bytes) -> str:
    # 128 bits of SHA-1: an answer's identity, not a signature; SHA-1 has the CPU's
    # own instructions here and hashes a page about twice as fast as BLAKE2b.
    return f'"{hashlib.sha1(body).hexdigest()[:32]}"'


class CachedPage(NamedTuple):
    version: int
    expires_at: float  # time.time(): the same deadline in every tier
    body: bytes
    etag: str
    content: int  # the content version polled before it was built
    built_at: float  # time.time() before it was built


class LocalPages:
    """This process's most recently used rendered answers by key, at most
    CATALOGUE_LOCAL_PAGES of them, each until its own deadline. Shared by the worker's
    threads."""

    def __init__(self) -> None:
        self._pages: OrderedDict[str, CachedPage] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> CachedPage | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
            return page

    def put(self, key: str, page: CachedPage) -> None:
        with self._lock:
            self._pages[key] = page
            self._pages.move_to_end(key)
            while len(self._pages) > settings.CATALOGUE_LOCAL_PAGES:
                self._pages.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()


local_pages = LocalPages()


class PublicCatalogueView(APIView):
    """A public, read-only catalogue answer. Subclasses implement `build()` returning
    JSON-ready data; errors raised there get the API's error format.

    With the page cache on (CATALOGUE_CACHE_SECONDS > 0), an answer is stored with the
    catalogue version it was built under, in this process's memory and in the shared
    cache, and counts only while that version is current. A hit is answered before
    DRF's request handling; a hit in memory costs no round trip at all.

    `known_params` names every query parameter `build()` reads: the page is keyed on
    those alone, and the others are removed from the request (a parameter a subclass
    reads without naming it here is never seen)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    cacheable = True
    known_params: frozenset[str] = frozenset()
    # The URL keyword naming the one product an answer shows: its page goes stale at once
    # when that product's content changes. Without one, an answer may show content
    # changes (`catalogue_changed`) up to CATALOGUE_LISTING_GRACE_SECONDS late.
    product_kwarg: str | None = None

    def build(self, request: HttpRequest, **kwargs):
        raise NotImplementedError

    def _page_key(self, request: HttpRequest, params: tuple) -> str | None:
        if not self.cacheable or settings.CATALOGUE_CACHE_SECONDS <= 0:
            return None
        what = repr((request.path, params)).encode()
        digest = hashlib.blake2b(what, digest_size=16).hexdigest()
        return f"catalogue:page:{local_today().isoformat()}:{digest}"

    def dispatch(self, request, *args, **kwargs):
        if request.method != "GET":
            return super().dispatch(request, *args, **kwargs)
        key = self._page_key(request, known_params_only(request, self.known_params))
        if key is not None:
            try:
                with cache_guard():
                    version, content = catalogue_versions_polled()
                    built_at = time.time()
                    page = _cached_page(key, version)
                    if page is not None and not self._fresh(page, content, kwargs):
                        page = None
            except CacheUnavailable:
                key = None  # answered from the database, and not kept
            else:
                if page is not None:
                    return _respond(request, page.body, page.etag)
                self._page = (key, version, content, built_at)
        # A public read needs none of DRF's request handling (authentication,
        # permissions, throttles, content negotiation): answered directly. A read that
        # fails (a bad filter, an unknown id) is answered again through DRF, which gives
        # its error the API's format; these reads write nothing.
        try:
            return self.get(Request(request), **kwargs)
        except Exception as exc:
            if is_statement_timeout(exc):
                # Not again through DRF: the statement would run out its time twice.
                return statement_timeout_response()
            return super().dispatch(request, *args, **kwargs)

    def _fresh(self, page: CachedPage, content: int, kwargs: dict) -> bool:
        """Whether producers' content changes since `page` was built leave it servable.
        Raises the cache's errors."""
        if page.content >= content:
            return True
        if self.product_kwarg is not None:
            return product_content_version(kwargs[self.product_kwarg]) <= page.content
        return time.time() - page.built_at <= settings.CATALOGUE_LISTING_GRACE_SECONDS

    def get(self, request, **kwargs):
        key, version, content, built_at = getattr(self, "_page", (None, None, 0, 0.0))
        body = render_json(self.build(request, **kwargs))
        etag = _etag(body)
        if key is not None:
            seconds = settings.CATALOGUE_CACHE_SECONDS
            page = CachedPage(version, time.time() + seconds, body, etag, content, built_at)
            local_pages.put(key, page)
            with suppress(CacheUnavailable), cache_guard():
                cache.set(key, tuple(page), timeout=seconds)
        return _respond(request, body, etag)


def known_params_only(request: HttpRequest, known: frozenset[str]) -> tuple:
    """The request's parameters that `known` names, sorted by name, each with its values
    in the order given: what a cached answer is keyed on. The others are removed from
    the request itself (its `GET` and query string), so that the answer, its links
    included, depends on nothing the key leaves out."""
    params = request.GET
    if params.keys() - known:
        kept = [
            (name, value) for name, values in params.lists() if name in known for value in values
        ]
        query = urlencode(kept)
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
        params = request.GET
    return tuple(sorted((name, tuple(values)) for name, values in params.lists()))


def _cached_page(key: str, version: int) -> CachedPage | None:
    """The page under `key` built under `version` and not expired: from this process's
    memory, else from the shared cache (then kept in memory too). Raises the cache's
    errors."""
    for tier in (local_pages, cache):
        page = tier.get(key)
        # Anything else under the key (say, an older release's format) is a miss.
        page = (
            CachedPage(*page)
            if isinstance(page, tuple) and len(page) == len(CachedPage._fields)
            else None
        )
        if page is not None and page.version == version and page.expires_at > time.time():
            if tier is cache:
                local_pages.put(key, page)
            return page
    return None


def _respond(request: HttpRequest, body: bytes, etag: str) -> HttpResponse:
    if etag in _if_none_match(request):
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    # What patch_cache_control(public=True, max_age=...) writes on a response without
    # the header, without parsing one first.
    response["Cache-Control"] = f"public, max-age={settings.CATALOGUE_HTTP_MAX_AGE}"
    return response


def _if_none_match(request: HttpRequest) -> set[str]:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


class ListingPaginator(DjangoPaginator):
    """A paginator that asks `count` for its count, through the cache under `count_key`
    when there is one: counting the public products that match the filters is the
    dearest query of a listing page, and the same for every page and ordering of those
    filters."""

    def __init__(self, *args, count: Callable[[], int], count_key: str | None = None, **kwargs):
        self.count_source = count
        self.count_key = count_key
        super().__init__(*args, **kwargs)

    @cached_property
    def count(self) -> int:
        if not self.count_key:
            return self.count_source()
        count = None
        with suppress(CacheUnavailable), cache_guard():
            count = cache.get(self.count_key)
        if count is None:
            count = self.count_source()
            with suppress(CacheUnavailable), cache_guard():
                cache.set(self.count_key, count, timeout=settings.CATALOGUE_COUNT_CACHE_SECONDS)
        return count


def listing_pagination(
    request: HttpRequest, filters: dict, *, count: Callable[[], int], cache_count: bool
) -> PageNumberPagination:
    """The API's page-number pagination with the listing's own `count`; with
    `cache_count` and CATALOGUE_COUNT_CACHE_SECONDS > 0 that count is cached per filter
    set (not per page or ordering) under the catalogue version."""
    pagination = PageNumberPagination()
    count_key = None
    if cache_count and settings.CATALOGUE_COUNT_CACHE_SECONDS > 0:
        digest = hashlib.blake2b(repr(sorted(filters.items())).encode(), digest_size=16).hexdigest()
        today = local_today().isoformat()
        with suppress(CacheUnavailable), cache_guard():
            count_key = f"catalogue:count:{catalogue_version()}:{today}:{digest}"
    pagination.django_paginator_class = functools.partial(
        ListingPaginator, count=count, count_key=count_key
    )
    return pagination
