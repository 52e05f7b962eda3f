"""Query validation and the wire shapes of the public catalogue.

Items are built by plain functions (a listing page is the hottest answer of the
marketplace); the Serializer classes below validate input and describe the output in
the OpenAPI schema.
"""

from __future__ import annotations

import functools
import json

from django.core.files.storage import DEFAULT_STORAGE_ALIAS, storages
from rest_framework import serializers

from catalogue.selectors import (
    ORDERINGS,
    PLAIN_URL_STORAGES,
    ListingQuery,
    image_url,
    province_names,
    provinces,
)
from marketplace.ocop.reference import ProductGroup, StarRating

CURRENCY = "VND"
MAX_PRICE = 10**12
MAX_SEARCH = 200  # characters of a search, once stripped


class _MultiValueField(serializers.Field):
    """`?stars=4&stars=5` or `?stars=4,5`: one or several values."""

    def __init__(self, *, child: serializers.Field, **kwargs):
        self.child = child
        super().__init__(**kwargs)

    def get_value(self, dictionary):
        if self.field_name not in dictionary:
            return serializers.empty
        raw = dictionary.getlist(self.field_name) if hasattr(dictionary, "getlist") else []
        return [part.strip() for value in raw for part in str(value).split(",") if part.strip()]

    def to_internal_value(self, data):
        values = []
        for value in data:
            values.append(self.child.run_validation(value))
        return tuple(dict.fromkeys(values))

    def to_representation(self, value):
        return list(value)


class ListingParamsSerializer(serializers.Serializer):
    search = serializers.CharField(required=False, allow_blank=True, max_length=MAX_SEARCH)
    province = _MultiValueField(child=serializers.CharField(max_length=2), required=False)
    stars = _MultiValueField(
        child=serializers.ChoiceField(choices=StarRating.values), required=False
    )
    product_group = _MultiValueField(
        child=serializers.ChoiceField(choices=ProductGroup.values), required=False
    )
    shop = serializers.SlugField(required=False, max_length=220)
    min_price = serializers.IntegerField(required=False, min_value=0, max_value=MAX_PRICE)
    max_price = serializers.IntegerField(required=False, min_value=0, max_value=MAX_PRICE)
    in_stock = serializers.BooleanField(required=False, allow_null=True, default=None)
    ordering = serializers.ChoiceField(choices=ORDERINGS, required=False)
    facets = serializers.BooleanField(required=False, default=False)

    def validate_province(self, value):
        known = set(_province_codes())
        unknown = [code for code in value if code not in known]
        if unknown:
            raise serializers.ValidationError(f"Unknown province code: {', '.join(unknown)}.")
        return value

    def validate(self, attrs):
        low, high = attrs.get("min_price"), attrs.get("max_price")
        if low is not None and high is not None and low > high:
            raise serializers.ValidationError(
                {"max_price": ["Must be greater than or equal to min_price."]}
            )
        return attrs

    def listing_query(self) -> ListingQuery:
        data = self.validated_data
        return ListingQuery(
            search=data.get("search", ""),
            provinces=data.get("province", ()),
            stars=tuple(int(s) for s in data.get("stars", ())),
            product_groups=data.get("product_group", ()),
            shop=data.get("shop", ""),
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            in_stock=data.get("in_stock"),
            ordering=data.get("ordering", ""),
        )


def _province_codes() -> list[str]:
    return [code for code, _ in provinces()]


# --- Output ---------------------------------------------------------------------------


def _rating(value) -> float | None:
    return round(float(value), 2) if value is not None else None


def province_data(code: str) -> dict:
    return {"code": code, "name": province_names()[code]}


def image_json(path: str | None) -> str:
    """The JSON text of `image_url(path)`."""
    if not path:
        return "null"
    storage = storages[DEFAULT_STORAGE_ALIAS]
    if type(storage) in PLAIN_URL_STORAGES:
        return _plain_image_json(storage, storage.base_url, path)
    return json.dumps(storage.url(path), ensure_ascii=False)


@functools.lru_cache(maxsize=16384)
def _plain_image_json(storage, base_url: str | None, path: str) -> str:
    # Keyed by the storage and its base URL as image_url()'s memo is.
    return json.dumps(storage.url(path), ensure_ascii=False)


def listing_items_json(rows: list[dict]) -> bytes | None:
    """The JSON text of `[listing_item(row), ...]`'s items, comma-separated, in the
    UTF-8 bytes `render_json` writes for them, from rows of
    `selectors.ITEM_JSON_FIELDS`: each item as PostgreSQL stored it, with its picture's
    URL. None when an item is not stored (see ITEM_JSON_FIELDS)."""
    storage = storages[DEFAULT_STORAGE_ALIAS]
    plain = type(storage) in PLAIN_URL_STORAGES
    base_url = storage.base_url if plain else None
    parts = []
    for row in rows:
        item, path = row["item_json"], row["image_path"]
        if item is None:
            return None
        if not path:
            image = b"null}"
        elif plain:
            image = _plain_image_json_end(storage, base_url, path)
        else:
            image = json.dumps(storage.url(path), ensure_ascii=False).encode() + b"}"
        parts += (item, image, b",")
    return b"".join(parts[:-1])


@functools.lru_cache(maxsize=16384)
def _plain_image_json_end(storage, base_url: str | None, path: str) -> bytes:
    # An item's last bytes: its picture's URL and the closing brace.
    return _plain_image_json(storage, base_url, path).encode() + b"}"


def listing_item(row: dict) -> dict:
    """One listing item from a row of `selectors.with_listing_fields()`."""
    return {
        "id": row["pk"],
        "name": row["name"],
        "shop": {
            "slug": row["shop__slug"],
            "name": row["shop__name"],
            "province": province_data(row["shop__province_id"]),
        },
        "origin_province": province_data(row["origin_province_id"]),
        "stars": row["certificate__stars"],
        "product_group": row["certificate__product_group"],
        "price_min": row["price_min"],
        "price_max": row["price_max"],
        "currency": CURRENCY,
        "in_stock": row["in_stock"],
        "rating": _rating(row["rating_value"]),
        "review_count": row["review_count_value"],
        "image": image_url(row["image_path"]),
    }


def product_detail_data(row: dict) -> dict:
    """The detail answer from `selectors.product_detail()`'s rows."""
    images = row["images"]
    return {
        "id": row["pk"],
        "name": row["name"],
        "description": row["description"],
        "shop": {
            "slug": row["shop__slug"],
            "name": row["shop__name"],
            "legal_name": row["shop__legal_name"],
            "province": province_data(row["shop__province_id"]),
            "address": row["shop__address"],
            "phone": row["shop__phone"],
            "tax_code": row["shop__tax_code"],
            "return_policy": row["shop__return_policy"],
        },
        "origin_province": province_data(row["origin_province_id"]),
        "stars": row["certificate__stars"],
        "product_group": row["certificate__product_group"],
        "price_min": row["price_min"],
        "price_max": row["price_max"],
        "currency": CURRENCY,
        "in_stock": row["in_stock"],
        "rating": _rating(row["rating_value"]),
        "review_count": row["review_count_value"],
        "image": image_url(images[0][1] or images[0][0]) if images else None,
        "images": [
            {"url": image_url(image), "thumbnail": image_url(thumb)} for image, thumb in images
        ],
        "variants": [
            {
                "id": v["pk"],
                "sku": v["sku"],
                "name": v["name"],
                "price": v["price"],
                "currency": CURRENCY,
                "stock_available": v["stock"],
                "weight_grams": v["weight_grams"],
            }
            for v in row["variants"]
        ],
        "certificate": {
            "number": row["certificate__number"],
            "issuer_name": row["certificate__issuer_name"],
            "stars": row["certificate__stars"],
            "product_group": row["certificate__product_group"],
            "issued_by_level": row["certificate__issued_by_level"],
            "issued_on": row["certificate__issued_on"].isoformat(),
            "expires_on": row["certificate__expires_on"].isoformat(),
        },
        "created_at": row["created_at"].isoformat(),
    }


def shop_data(shop) -> dict:
    return {
        "slug": shop.slug,
        "name": shop.name,
        "legal_type": shop.legal_type,
        "province": province_data(shop.province_id),
        "description": shop.description,
        "public_products_count": shop.public_products_count,
        "rating": _rating(shop.rating_value),
    }


# --- Schema (documentation of the shapes above) ---------------------------------------


class CatalogueProvinceRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class CatalogueShopRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    province = CatalogueProvinceRefSerializer()


class CatalogueListingItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    shop = CatalogueShopRefSerializer()
    origin_province = CatalogueProvinceRefSerializer()
    stars = serializers.IntegerField()
    product_group = serializers.ChoiceField(choices=ProductGroup.choices)
    price_min = serializers.IntegerField(help_text="Cheapest variant, in đồng")
    price_max = serializers.IntegerField()
    currency = serializers.CharField(default=CURRENCY)
    in_stock = serializers.BooleanField()
    rating = serializers.FloatField(allow_null=True)
    review_count = serializers.IntegerField()
    image = serializers.CharField(allow_null=True)


class CatalogueFacetCountSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    count = serializers.IntegerField()


class CatalogueFacetsSerializer(serializers.Serializer):
    stars = serializers.DictField(child=serializers.IntegerField())
    province = CatalogueFacetCountSerializer(many=True)
    product_group = CatalogueFacetCountSerializer(many=True)


class CatalogueListingPageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = CatalogueListingItemSerializer(many=True)
    facets = CatalogueFacetsSerializer(required=False, help_text="With ?facets=true")


class CatalogueVariantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    price = serializers.IntegerField()
    currency = serializers.CharField()
    stock_available = serializers.IntegerField()
    weight_grams = serializers.IntegerField(allow_null=True)


class CatalogueCertificateRefSerializer(serializers.Serializer):
    number = serializers.CharField()
    issuer_name = serializers.CharField()
    stars = serializers.IntegerField()
    product_group = serializers.CharField()
    issued_by_level = serializers.CharField()
    issued_on = serializers.DateField()
    expires_on = serializers.DateField()


class CatalogueProductDetailSerializer(CatalogueListingItemSerializer):
    description = serializers.CharField()
    variants = CatalogueVariantSerializer(many=True)
    certificate = CatalogueCertificateRefSerializer()
    created_at = serializers.DateTimeField()


class CatalogueStatsProvinceSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    by_stars = serializers.DictField(child=serializers.IntegerField())


class CatalogueOcopStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    by_stars = serializers.DictField(child=serializers.IntegerField())
    share_by_stars = serializers.DictField(child=serializers.FloatField())
    by_province = CatalogueStatsProvinceSerializer(many=True)


class CataloguePublicShopSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    legal_type = serializers.CharField()
    province = CatalogueProvinceRefSerializer()
    description = serializers.CharField()
    public_products_count = serializers.IntegerField()
    rating = serializers.FloatField(allow_null=True)
