"""The public catalogue: products, their facets, public shops and the OCOP figures."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import ValidationError

from catalogue import selectors
from catalogue.api import fast
from catalogue.api import serializers as s
from catalogue.api.caching import (
    PublicCatalogueView,
    listing_pagination,
)
from marketplace.core.errors import NotFound
from marketplace.core.pagination import PageNumberPagination, paginated
from marketplace.core.schema import one_or_several
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
            data = fast.every_public_product_page(request)
            if data is not None:
                return data
            # Every public product, newest first: nothing to validate but the page.
            query, with_facets = selectors.ListingQuery(), False
        elif request.query_params.keys() <= SEARCH_PARAMS and (
            (data := fast.search_page(request)) is not None
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


class ProductDetailView(PublicCatalogueView):
    product_kwarg = "product_id"

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
