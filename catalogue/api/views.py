"""The public catalogue: products, their facets, public shops and the OCOP figures."""

from __future__ import annotations

import functools
import math
from json.encoder import encode_basestring
from urllib.parse import urlencode

from django.http import HttpRequest
from django.utils.encoding import escape_uri_path, iri_to_uri
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError

from catalogue import selectors
from catalogue.api import serializers as s
from catalogue.api.caching import (
    PublicCatalogueView,
    RenderedJson,
    listing_pagination,
)
from marketplace.core.errors import NotFound
from marketplace.core.pagination import PageNumberPagination, paginated
from marketplace.core.schema import one_or_several
from marketplace.core.search import search_words
from marketplace.ocop.reference import ProductGroup, StarRating
from marketplace.regions.loader import province_codes

PAGE_PARAMS = {"page", "page_size"}
SEARCH_PARAMS = {"search", *PAGE_PARAMS}

LISTING_PARAMETERS = [
    OpenApiParameter(
        "search",
        str,
        description=(
            "Words in any order, with or without diacritics (`nuoc mam` finds `Nước mắm`); "
            "matched against product name and description, shop and province names."
        ),
    ),
    OpenApiParameter(
        "province",
        {"type": "string", "pattern": one_or_several(province_codes())},
        description="Province code(s): `?province=40,01`",
    ),
    OpenApiParameter(
        "stars",
        {"type": "string", "pattern": one_or_several(StarRating.values)},
        description="3, 4 or 5; several: `?stars=4,5`",
    ),
    OpenApiParameter(
        "product_group",
        {"type": "string", "pattern": one_or_several(ProductGroup.values)},
        description="OCOP group code(s)",
    ),
    OpenApiParameter(
        "shop",
        {"type": "string", "pattern": r"^[-a-zA-Z0-9_]*$", "maxLength": 220},
        description="Shop slug",
    ),
    OpenApiParameter(
        "min_price",
        {"type": "integer", "minimum": 0, "maximum": s.MAX_PRICE},
        description="Cheapest variant at least (đồng)",
    ),
    OpenApiParameter(
        "max_price",
        {"type": "integer", "minimum": 0, "maximum": s.MAX_PRICE},
        description="Cheapest variant at most (đồng)",
    ),
    OpenApiParameter("in_stock", bool),
    OpenApiParameter("ordering", str, enum=list(selectors.ORDERINGS)),
    OpenApiParameter("facets", bool, description="Add counts by stars, province, group"),
    OpenApiParameter("page", int),
    OpenApiParameter("page_size", int, description="1 to 100"),
]


class ProductListView(PublicCatalogueView):
    known_params = frozenset(parameter.name for parameter in LISTING_PARAMETERS)

    @extend_schema(
        parameters=LISTING_PARAMETERS,
        responses=s.CatalogueListingPageSerializer,
        summary="Public products",
        operation_id="products_list",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, **kwargs):
        if request.query_params.keys() <= PAGE_PARAMS:
            data = every_public_product_page(request)
            if data is not None:
                return data
            # Every public product, newest first: nothing to validate but the page.
            query, with_facets = selectors.ListingQuery(), False
        elif request.query_params.keys() <= SEARCH_PARAMS and (
            (data := search_page(request)) is not None
        ):
            return data
        else:
            params = s.ListingParamsSerializer(data=request.query_params)
            params.is_valid(raise_exception=True)
            query, with_facets = params.listing_query(), params.validated_data["facets"]
        if query.shop and not selectors.public_shops().filter(slug=query.shop).exists():
            raise ValidationError({"shop": [f"No public shop {query.shop!r}."]})
        # Without a filter neither the count nor the page needs this queryset.
        filtered = selectors.listing_queryset(query) if query.narrows or with_facets else None
        ordered = selectors.listing_page_queryset(query, filtered)
        paginator = listing_pagination(
            request,
            query.filters,
            # A search counts its matches in the pass that ranks them (see SearchRows).
            count=(
                ordered.count
                if isinstance(ordered, selectors.SearchRows)
                else lambda: selectors.listing_count(query, filtered)
            ),
            cache_count=query.narrows,
        )
        page = paginator.paginate_queryset(ordered, request, view=self)
        data = {
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": [s.listing_item(product) for product in page],
        }
        if with_facets:
            # A search's rows may have turned to typo matches (see SearchRows).
            data["facets"] = selectors.facets(getattr(ordered, "filtered", filtered))
        return data


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


class ProductDetailView(PublicCatalogueView):
    @extend_schema(
        responses=s.CatalogueProductDetailSerializer,
        summary="A public product",
        operation_id="products_retrieve",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, *, product_id: int):
        product = selectors.product_detail(product_id=product_id)
        if product is None:
            raise NotFound("No such product.", code="product_not_found")
        return s.product_detail_data(product)


class OcopStatsView(PublicCatalogueView):
    @extend_schema(responses=s.CatalogueOcopStatsSerializer, summary="Public OCOP products by star")
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    # Always kept in the cache, whatever CATALOGUE_CACHE_SECONDS: every page of every
    # province's portal may show these figures.
    def build(self, request, **kwargs):
        return selectors.cached_ocop_stats()


class PublicShopListView(PublicCatalogueView):
    known_params = frozenset({"province", *PAGE_PARAMS})

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "province",
                {"type": "string", "enum": ["", *province_codes()]},
                description="Province code",
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int),
        ],
        responses=paginated(s.CataloguePublicShopSerializer),
        summary="Public shops with their public products count and rating",
        operation_id="catalogue_shops_list",
    )
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, **kwargs):
        shops = selectors.public_shops().order_by("name", "pk")
        province = request.query_params.get("province")
        if province:
            if province not in s._province_codes():
                raise ValidationError({"province": [f"Unknown province code: {province}."]})
            shops = shops.filter(province_id=province)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(shops, request, view=self)
        return {
            "count": paginator.page.paginator.count,
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": [s.shop_data(shop) for shop in page],
        }


class PublicShopDetailView(PublicCatalogueView):
    @extend_schema(responses=s.CataloguePublicShopSerializer, summary="A public shop")
    def get(self, request, **kwargs):
        return super().get(request, **kwargs)

    def build(self, request, *, slug: str):
        shop = selectors.public_shops().filter(slug=slug).first()
        if shop is None:
            raise NotFound("No such shop.", code="shop_not_found")
        return s.shop_data(shop)
