"""Indexes for the catalogue's price orderings and price filter (over the listing
columns of shops/0002), province pages and the count of public products, over active
products and approved certificates only. The price indexes match an ORDER BY of `order_listing()` exactly, nulls included,
so a page is an index walk that stops after page_size rows.
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
    # Counting the public products (every listing page's count): index-only scans over
    # the visibility columns merge-join instead of two sequential scans of wide rows.
    (
        "catalogue_product_active_visibility",
        "shops_product (certificate_id, shop_id) WHERE status = 'active'",
    ),
    (
        "catalogue_certificate_approved",
        "shops_ocopcertificate (id, expires_on) WHERE status = 'approved'",
    ),
]


def create_indexes(apps, schema_editor):
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    schema_editor.execute("ANALYZE shops_product")
    schema_editor.execute("ANALYZE shops_ocopcertificate")


def drop_indexes(apps, schema_editor):
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0002_search_and_listing_indexes"),
        ("shops", "0002_product_listing_columns"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes, elidable=False)]
