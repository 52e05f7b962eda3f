"""The catalogue's read model follows the data it copies.

`READ_MODEL` holds, for each stored copy (a column of `catalogue.models` or a table SQL
keeps), the source columns it is made of and the SQL objects (`catalogue/sql/`,
`shops/sql/`) that write it. The tests fail when a source column is renamed or
dropped on its model, when the SQL no longer reads it or no trigger follows its
changes, when the listing's general path reads a column the stored item does not (a
field added to the listing), and when the stored item's JSON and the serializer's
item part ways. Adding a field to the listing: README, "Adding a field to the listing".
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import connection

from catalogue.api.serializers import listing_item
from catalogue.models import ProductListingRow
from catalogue.selectors.common import _ListingColumn
from catalogue.selectors.listing import LISTING_FIELDS, with_listing_fields
from catalogue.sql import SQL_OBJECTS as CATALOGUE_SQL
from shops.models import Product
from shops.sql import SQL_OBJECTS as SHOPS_SQL
from tests.catalogue.factories import listed_product


@dataclass(frozen=True)
class Copy:
    sources: dict[str, set[str]]  # table → the columns the copy is made of
    kept_by: tuple[str, ...]  # "functions/<name>" or "triggers/<name>"


ITEM_WRITERS = (
    "functions/catalogue_product_listing_item",
    "triggers/catalogue_listing_item_insert",
    "triggers/catalogue_listing_item_update",
)
CERTIFICATE_WRITERS = (
    "functions/catalogue_certificate_listing_changed",
    "triggers/catalogue_certificate_listing_changed",
)
RATING_WRITERS = (
    "functions/catalogue_rating_listing_changed",
    "triggers/catalogue_rating_listing_changed",
)
SEARCH_DOCUMENT = ("functions/catalogue_search_document",)

READ_MODEL = {
    "shops_product.catalogue_listing_item": Copy(
        sources={
            "shops_product": {
                "id",
                "name",
                "shop_id",
                "certificate_id",
                "origin_province_id",
                "price_min",
                "price_max",
                "in_stock",
            },
            "shops_shop": {"id", "slug", "name", "province_id"},
            "shops_ocopcertificate": {"id", "stars", "product_group"},
            "orders_productrating": {"product_id", "rating", "review_count"},
            "regions_province": {"code", "name"},
        },
        kept_by=(
            "functions/catalogue_listing_item",
            "functions/catalogue_province_json",
            *ITEM_WRITERS,
            "functions/catalogue_shop_listing_changed",
            "triggers/catalogue_shop_listing_changed",
            *CERTIFICATE_WRITERS,
            *RATING_WRITERS,
            "functions/catalogue_province_renamed",
            "triggers/catalogue_province_renamed",
        ),
    ),
    "shops_product.catalogue_listing_image": Copy(
        sources={
            "shops_product": {"id"},
            "shops_productimage": {"id", "product_id", "position", "thumbnail", "image"},
        },
        kept_by=(
            "functions/catalogue_listing_image",
            *ITEM_WRITERS,
            "functions/catalogue_refresh_listing_image",
            "functions/catalogue_image_listing_changed",
            "triggers/catalogue_image_listing_changed",
        ),
    ),
    "shops_product.catalogue_stars": Copy(
        sources={"shops_product": {"certificate_id"}, "shops_ocopcertificate": {"id", "stars"}},
        kept_by=(*ITEM_WRITERS, *CERTIFICATE_WRITERS),
    ),
    "shops_product.catalogue_product_group": Copy(
        sources={
            "shops_product": {"certificate_id"},
            "shops_ocopcertificate": {"id", "product_group"},
        },
        kept_by=(*ITEM_WRITERS, *CERTIFICATE_WRITERS),
    ),
    "shops_product.catalogue_rating": Copy(
        sources={"shops_product": {"id"}, "orders_productrating": {"product_id", "rating"}},
        kept_by=(*ITEM_WRITERS, *RATING_WRITERS),
    ),
    "shops_product.catalogue_seller_text": Copy(
        sources={
            "shops_product": {"shop_id", "origin_province_id"},
            "shops_shop": {"id", "search_name"},
            "regions_province": {"code", "name"},
        },
        kept_by=(
            "functions/catalogue_search_text",
            "functions/catalogue_seller_text",
            "functions/catalogue_product_seller_text",
            "triggers/catalogue_seller_text_insert",
            "triggers/catalogue_seller_text_update",
            "functions/catalogue_shop_renamed",
            "triggers/catalogue_shop_renamed",
            "functions/catalogue_province_renamed",
            "triggers/catalogue_province_renamed",
        ),
    ),
    "catalogue_search_word": Copy(
        sources={"shops_product": {"search_text", "catalogue_seller_text"}},
        kept_by=(
            *SEARCH_DOCUMENT,
            "functions/catalogue_add_search_words",
            "triggers/catalogue_search_words_insert",
            "functions/catalogue_add_row_search_words",
            "triggers/catalogue_search_words_update",
        ),
    ),
    "catalogue_search_entry": Copy(
        sources={
            "shops_product": {
                "id",
                "public_until",
                "created_at",
                "search_name",
                "search_text",
                "catalogue_seller_text",
            }
        },
        kept_by=(
            *SEARCH_DOCUMENT,
            "functions/catalogue_search_entries_insert",
            "triggers/catalogue_search_entries_insert",
            "functions/catalogue_search_entry_update",
            "triggers/catalogue_search_entry_update",
            "functions/catalogue_search_entries_delete",
            "triggers/catalogue_search_entries_delete",
            "functions/catalogue_search_entries_truncate",
            "triggers/catalogue_search_entries_truncate",
        ),
    ),
    "shops_publicproducttally": Copy(
        sources={"shops_product": {"public_until"}},
        kept_by=(
            "functions/shops_product_public_tally",
            "triggers/shops_product_public_tally_insert",
            "triggers/shops_product_public_tally_update",
            "triggers/shops_product_public_tally_delete",
        ),
    ),
}

# What the listing's general path (`with_listing_fields`) annotates, as model paths.
LISTING_ANNOTATIONS = {
    "rating_value": ("rating_summary__rating",),
    "review_count_value": ("rating_summary__review_count",),
    "image_path": (
        "images__thumbnail",
        "images__image",
        "images__position",
        "images__id",
    ),
}
# Read once per process by `selectors.provinces()`, not by the page's statement.
READ_IN_MEMORY = {("regions_province", "code"), ("regions_province", "name")}


def models_of(table: str) -> list:
    return [model for model in apps.get_models() if model._meta.db_table == table]


def columns_of(table: str) -> set[str]:
    """The columns the models on `table` declare (a managed one and the read model's)."""
    return {field.column for model in models_of(table) for field in model._meta.concrete_fields}


def sql_text(object_path: str) -> str:
    kind, name = object_path.split("/")
    for objects in (CATALOGUE_SQL, SHOPS_SQL):
        path = objects.directory / kind / f"{name}.sql"
        if path.exists():
            return path.read_text(encoding="utf-8")
    raise AssertionError(f"no file for {object_path}")


def without_comments(text: str) -> str:
    return re.sub(r"--[^\n]*", "", text)


def update_trigger(text: str) -> tuple[str, set[str] | None] | None:
    """(table, the columns it watches, None for all) of an UPDATE trigger's text."""
    head = re.search(r"\b(?:BEFORE|AFTER)\s+(.*?)\s+ON\s+(\w+)", text, re.S)
    if not head or "UPDATE" not in head.group(1):
        return None
    listed = re.search(r"UPDATE OF ([\w\s,]+?)\s*$", head.group(1))
    if listed:
        return head.group(2), {column.strip() for column in listed.group(1).split(",")}
    compared = set(re.findall(r"OLD\.(\w+) IS DISTINCT FROM NEW\.\1", text))
    return head.group(2), compared or None


def resolve(path: str) -> set[tuple[str, str]]:
    """The (table, column) pairs a listing field's path reads, joins included."""
    model, read = Product, set()
    *relations, last = path.split("__")
    for name in relations:
        field = model._meta.get_field(name)
        related = field.related_model
        if field.concrete:  # a foreign key of `model`
            read |= {
                (model._meta.db_table, field.column),
                (related._meta.db_table, field.target_field.column),
            }
        else:  # a reverse relation: the other table's key to `model`
            read |= {
                (model._meta.db_table, model._meta.pk.column),
                (related._meta.db_table, field.field.column),
            }
        model = related
    field = model._meta.pk if last == "pk" else model._meta.get_field(last)
    return read | {(model._meta.db_table, field.column)}


@pytest.mark.parametrize("copy", READ_MODEL)
def test_the_copy_is_declared_on_a_model(copy):
    table, _, column = copy.partition(".")
    assert models_of(table), f"no model on {table}"
    if column:
        assert column in columns_of(table), f"{copy} is not a field of a model"


@pytest.mark.parametrize("copy", READ_MODEL)
def test_the_sources_are_fields_of_their_models(copy):
    """A source column renamed or dropped on its model fails here, before the SQL that
    still reads it breaks writes."""
    for table, columns in READ_MODEL[copy].sources.items():
        missing = columns - columns_of(table)
        assert not missing, f"{copy} reads {table}.{sorted(missing)}, which no model declares"


@pytest.mark.parametrize("copy", READ_MODEL)
def test_the_sql_reads_every_source(copy):
    text = without_comments("\n".join(sql_text(path) for path in READ_MODEL[copy].kept_by))
    for table, columns in READ_MODEL[copy].sources.items():
        assert re.search(rf"\b{table}\b", text) or table == "shops_product", table
        unread = {column for column in columns if not re.search(rf"\b{column}\b", text)}
        assert not unread, f"{copy}: the SQL keeping it never reads {table}.{sorted(unread)}"


@pytest.mark.parametrize("copy", READ_MODEL)
def test_a_trigger_follows_every_source(copy):
    """An update of any source column rewrites the copy: some trigger keeping it
    watches that column of its table (a primary key never changes)."""
    watched: dict[str, set[str] | None] = {}
    for path in READ_MODEL[copy].kept_by:
        if not path.startswith("triggers/"):
            continue
        text = without_comments(sql_text(path))
        table = re.search(r"\bON\s+(\w+)", text).group(1)
        watched.setdefault(table, set())
        found = update_trigger(text)
        if found is None:
            continue
        if found[1] is None or watched[table] is None:
            watched[table] = None
        else:
            watched[table] |= found[1]
    for table, columns in READ_MODEL[copy].sources.items():
        assert table in watched, f"{copy}: no trigger keeping it is on {table}"
        if watched[table] is None:
            continue
        key = models_of(table)[0]._meta.pk.column
        unwatched = columns - {key} - watched[table]
        assert not unwatched, f"{copy}: no trigger follows updates of {table}.{sorted(unwatched)}"


@pytest.mark.django_db
def test_the_database_has_no_column_the_models_do_not_declare():
    for table in ("shops_product", "catalogue_search_word", "catalogue_search_entry"):
        with connection.cursor() as cursor:
            in_database = {
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
            }
        assert in_database == columns_of(table), table


def test_the_listing_reads_only_what_the_stored_item_copies():
    """The general path's fields (`LISTING_FIELDS`) and the stored item's sources are
    the same columns: a field added to the listing, or dropped from it, without the
    stored item following fails here."""
    read = set(READ_IN_MEMORY)
    for name in LISTING_FIELDS:
        if name in LISTING_ANNOTATIONS:
            for path in LISTING_ANNOTATIONS[name]:
                read |= resolve(path)
        else:
            assert "_value" not in name and "_path" not in name, (
                f"{name}: an annotation; say in LISTING_ANNOTATIONS what it reads"
            )
            read |= resolve(name)
    stored = {
        (table, column)
        for copy in ("catalogue_listing_item", "catalogue_listing_image")
        for table, columns in READ_MODEL[f"shops_product.{copy}"].sources.items()
        for column in columns
    }
    assert read - stored == set(), "the listing shows these; the stored item does not copy them"
    assert stored - read == set(), "the stored item copies these; the listing does not show them"


@pytest.mark.django_db
def test_the_stored_item_is_the_serializers_item():
    product = listed_product(name='Nước mắm "Phú Quốc" 40°N', prices=(85_000, 120_000))
    stored = ProductListingRow.objects.get(pk=product.pk).catalogue_listing_item
    assert stored is not None
    # The stored text ends at `"image":`; the picture's URL and the closing brace are
    # the storage's to write.
    item = json.loads(stored + "null}")
    row = with_listing_fields(Product.objects.filter(pk=product.pk)).get()
    assert item == listing_item(row)
    assert list(item) == list(listing_item(row)), "the same keys in the same order"
    assert list(item["shop"]) == list(listing_item(row)["shop"])


def test_the_stored_columns_the_listing_names_are_declared():
    # The listing's selectors name the stored columns in SQL (`_ListingColumn`): each
    # is a field of the read model.
    declared = {field.column for field in ProductListingRow._meta.concrete_fields}
    assert set(_ListingColumn.COLUMNS) - declared == set()
