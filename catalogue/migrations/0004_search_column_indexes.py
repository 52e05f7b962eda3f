"""Trigram indexes over the stored search columns (shops/0003) replace those over
`catalogue_search_text(...)` expressions: the search reads stored text instead of
normalising every candidate row per query (PostgreSQL only)."""

from django.db import migrations

INDEXES = [
    ("catalogue_product_search_text_trgm", "shops_product USING gin (search_text gin_trgm_ops)"),
    ("catalogue_product_search_name_trgm", "shops_product USING gin (search_name gin_trgm_ops)"),
    ("catalogue_shop_search_name_trgm", "shops_shop USING gin (search_name gin_trgm_ops)"),
]
REPLACED = [
    (
        "catalogue_product_name_trgm",
        "shops_product USING gin (catalogue_search_text(name) gin_trgm_ops)",
    ),
    (
        "catalogue_product_desc_trgm",
        "shops_product USING gin (catalogue_search_text(description) gin_trgm_ops)",
    ),
    ("catalogue_shop_name_trgm", "shops_shop USING gin (catalogue_search_text(name) gin_trgm_ops)"),
]


def _swap(schema_editor, create, drop):
    for name, definition in create:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    for name, _ in drop:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("ANALYZE shops_product")
    schema_editor.execute("ANALYZE shops_shop")


def forwards(apps, schema_editor):
    _swap(schema_editor, INDEXES, REPLACED)


def backwards(apps, schema_editor):
    _swap(schema_editor, REPLACED, INDEXES)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0003_listing_column_indexes"),
        ("shops", "0003_search_columns"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
