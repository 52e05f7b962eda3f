"""The catalogue's SQL functions and triggers, one file each (the current text; how to
change one: `marketplace.core.sql_objects`), in the order they are applied.

They keep the catalogue's read model (`catalogue.models`) equal to the shops' data on
every write, whoever makes it (a service, the admin, a bulk update, a cascade): the
seller text and word vocabulary of the search (catalogue/migrations/0006), the stored
listing item and its filter columns (0007, 0009), a province's rename (0008) and the
search entries (0010). Those migrations say why each exists; the files say what it is.
"""

from pathlib import Path

from marketplace.core.sql_objects import SqlObjects

SQL_OBJECTS = SqlObjects(
    directory=Path(__file__).parent,
    functions=(
        # The normaliser and its C helper first: the others call them.
        "catalogue_unaccent",
        "catalogue_search_text",
        "catalogue_search_document",
        # The search's seller text and vocabulary.
        "catalogue_seller_text",
        "catalogue_product_seller_text",
        "catalogue_shop_renamed",
        "catalogue_add_search_words",
        "catalogue_add_row_search_words",
        # The stored listing item, its picture and filter columns.
        "catalogue_province_json",
        "catalogue_listing_item",
        "catalogue_listing_image",
        "catalogue_product_listing_item",
        "catalogue_shop_listing_changed",
        "catalogue_certificate_listing_changed",
        "catalogue_rating_listing_changed",
        "catalogue_refresh_listing_image",
        "catalogue_image_listing_changed",
        "catalogue_province_renamed",
        # The search entries.
        "catalogue_search_entries_insert",
        "catalogue_search_entry_update",
        "catalogue_search_entries_delete",
        "catalogue_search_entries_truncate",
    ),
    triggers=(
        "catalogue_seller_text_insert",
        "catalogue_seller_text_update",
        "catalogue_shop_renamed",
        "catalogue_search_words_insert",
        "catalogue_search_words_update",
        "catalogue_listing_item_insert",
        "catalogue_listing_item_update",
        "catalogue_shop_listing_changed",
        "catalogue_certificate_listing_changed",
        "catalogue_rating_listing_changed",
        "catalogue_image_listing_changed",
        "catalogue_province_renamed",
        "catalogue_search_entries_insert",
        "catalogue_search_entry_update",
        "catalogue_search_entries_delete",
        "catalogue_search_entries_truncate",
    ),
    # Creating a C-language function needs a superuser; without one the normaliser
    # calls the STABLE `public.unaccent` (same result, slower: not inlined).
    superuser_only={
        "catalogue_unaccent": ("public.catalogue_unaccent(", "public.unaccent("),
    },
)


def apply_sql_objects(schema_editor) -> None:
    """Create or replace every catalogue function and trigger from its file."""
    SQL_OBJECTS.apply(schema_editor)
