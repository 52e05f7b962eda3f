"""HTTP caching for anonymous catalogue reads, and the optional server-side page cache.

Every answer carries a strong ETag (a hash of its body) and `Cache-Control: public`;
a matching `If-None-Match` gets a 304. With CATALOGUE_CACHE_SECONDS > 0 the rendered
body is also kept in the cache (Redis in production) under the catalogue version, which
any visibility change bumps, and today's date, on which certificate expiry depends.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator as DjangoPaginator
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView

from marketplace.core.catalogue_version import catalogue_version
from marketplace.core.pagination import PageNumberPagination
from shops.services.common import local_today


def render_json(data) -> bytes:
    # What DRF's JSONRenderer writes (compact, UTF-8), without its per-call overhead.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


def _etag(body: bytes) -> str:
    return f'"{hashlib.blake2b(body, digest_size=16).hexdigest()}"'


class PublicCatalogueView(APIView):
    """A public, read-only catalogue answer. Subclasses implement `build()` returning
    JSON-ready data; errors raised there get the API's error format."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    cacheable = True

    def build(self, request: HttpRequest, **kwargs):
        raise NotImplementedError

    def _cache_key(self, request: HttpRequest) -> str | None:
        if not self.cacheable or settings.CATALOGUE_CACHE_SECONDS <= 0:
            return None
        path = hashlib.blake2b(request.get_full_path().encode(), digest_size=16).hexdigest()
        return f"catalogue:page:{catalogue_version()}:{local_today().isoformat()}:{path}"

    def get(self, request, **kwargs):
        key = self._cache_key(request)
        cached = cache.get(key) if key else None
        if cached is None:
            body = render_json(self.build(request, **kwargs))
            cached = (body, _etag(body))
            if key:
                cache.set(key, cached, timeout=settings.CATALOGUE_CACHE_SECONDS)
        body, etag = cached
        if etag in _if_none_match(request):
            response = HttpResponseNotModified()
        else:
            response = HttpResponse(body, content_type="application/json")
        response["ETag"] = etag
        patch_cache_control(response, public=True, max_age=settings.CATALOGUE_HTTP_MAX_AGE)
        return response


def _if_none_match(request: HttpRequest) -> set[str]:
    header = request.headers.get("If-None-Match", "")
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
        count = cache.get(self.count_key)
        if count is None:
            count = self.count_source()
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
        count_key = f"catalogue:count:{catalogue_version()}:{local_today().isoformat()}:{digest}"
    pagination.django_paginator_class = functools.partial(
        ListingPaginator, count=count, count_key=count_key
    )
    return pagination
