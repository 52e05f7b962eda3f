"""What the catalogue's reads share: the listing's filters (`ListingQuery`), the
provinces read once per process, the product's rating and stored listing columns, and
the pictures' URLs."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.core.files.storage import (
    DEFAULT_STORAGE_ALIAS,
    FileSystemStorage,
    InMemoryStorage,
    storages,
)
from django.db.models import (
    BinaryField,
    DecimalField,
    Expression,
    F,
    IntegerField,
    TextField,
    Value,
)
from django.db.models.functions import Coalesce

from marketplace.regions.models import Province

ORDERINGS = ("price", "-price", "-rating", "-created")


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


@functools.cache
def provinces() -> tuple[tuple[str, str], ...]:
    """(code, name) of the 34 provinces, read once per process: the law's, changed only
    by `manage.py load_regions` (restart after a rename; see catalogue/0008)."""
    return tuple(Province.objects.order_by("code").values_list("code", "name"))


@functools.cache
def province_names() -> dict[str, str]:
    return dict(provinces())


def _stored(column: str) -> Expression:
    """A value a listing filters, counts or orders by: the product's stored copy
    (`column`, catalogue/0009), which spares a join to every product's certificate or
    rating."""
    return _ListingColumn(column)


def _certificate_value(field: str) -> Expression:
    """The certificate's `stars` or `product_group`, as a listing reads it."""
    return _stored(f"catalogue_{field}")


class _ListingColumn(Expression):
    """A column of the catalogue's on the query's product table, kept by triggers and
    declared on `catalogue.models.ProductListingRow`, not on `Product`, so named here,
    in SQL: `catalogue_listing_item`, the item's JSON text up to its
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
