"""Indexes the catalogue's reads need on the shops tables (PostgreSQL only).

The shops app owns these tables; the catalogue owns how they are read, so it owns these
indexes: trigram GIN indexes over the IMMUTABLE normalised text (search, typo
tolerance), the newest-first order of active products, and the cheapest variant and its
stock per product (price range, in-stock, price filter and order).
"""

from django.db import migrations

INDEXES = [
    (
        "catalogue_product_name_trgm",
        "shops_product USING gin (catalogue_search_text(name) gin_trgm_ops)",
    ),
    (
        "catalogue_product_desc_trgm",
        "shops_product USING gin (catalogue_search_text(description) gin_trgm_ops)",
    ),
    (
        "catalogue_shop_name_trgm",
        "shops_shop USING gin (catalogue_search_text(name) gin_trgm_ops)",
    ),
    (
        "catalogue_product_active_newest",
        "shops_product (created_at DESC, id DESC) WHERE status = 'active'",
    ),
    (
        "catalogue_variant_product_price",
        "shops_productvariant (product_id, price) INCLUDE (stock)",
    ),
]


def create_indexes(apps, schema_editor):
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0001_search_text"),
        ("shops", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
