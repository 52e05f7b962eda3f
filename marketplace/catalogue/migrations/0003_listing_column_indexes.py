"""Indexes over the product's listing columns (shops/0002), for the catalogue's price
orderings, price filter and province pages, over active products only (PostgreSQL; the
embedded SQLite scans its few rows). Each matches an ORDER BY of `order_listing()`
exactly, nulls included, so a page is an index walk that stops after page_size rows.
"""

from django.db import migrations

INDEXES = [
    (
        "catalogue_product_active_price_asc",
        "shops_product (price_min ASC NULLS LAST, created_at DESC, id DESC)"
        " WHERE status = 'active'",
    ),
    (
        "catalogue_product_active_price_desc",
        "shops_product (price_min DESC NULLS LAST, created_at DESC, id DESC)"
        " WHERE status = 'active'",
    ),
    (
        "catalogue_product_active_province_newest",
        "shops_product (origin_province_id, created_at DESC, id DESC) WHERE status = 'active'",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    schema_editor.execute("ANALYZE shops_product")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_search_and_listing_indexes"),
        ("shops", "0002_product_listing_columns"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
