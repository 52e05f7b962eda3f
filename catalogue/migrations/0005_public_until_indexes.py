"""The catalogue's listing indexes over the stored visibility (`Product.public_until`,
shops/0004) instead of `status = 'active'` plus joins to shops and certificates: a
public product is a row of shops_product whose public_until is after today, so a page
in any order is a walk of one partial index (`public_until > today` implies NOT NULL),
and a filtered count reads one table.
"""

from django.db import migrations

OLD_INDEXES = [
    (
        "catalogue_product_active_newest",
        "shops_product (created_at DESC, id DESC) WHERE status = 'active'",
    ),
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
    (
        "catalogue_product_active_visibility",
        "shops_product (certificate_id, shop_id) WHERE status = 'active'",
    ),
    (
        "catalogue_certificate_approved",
        "shops_ocopcertificate (id, expires_on) WHERE status = 'approved'",
    ),
]

INDEXES = [
    (
        "catalogue_product_public_newest",
        "shops_product (created_at DESC, id DESC) WHERE public_until IS NOT NULL",
    ),
    (
        "catalogue_product_public_price_asc",
        "shops_product (price_min ASC NULLS LAST, created_at DESC, id DESC)"
        " WHERE public_until IS NOT NULL",
    ),
    (
        "catalogue_product_public_price_desc",
        "shops_product (price_min DESC NULLS LAST, created_at DESC, id DESC)"
        " WHERE public_until IS NOT NULL",
    ),
    (
        "catalogue_product_public_province_newest",
        "shops_product (origin_province_id, created_at DESC, id DESC)"
        " WHERE public_until IS NOT NULL",
    ),
    (
        "catalogue_product_public_shop",
        "shops_product (shop_id, public_until) WHERE public_until IS NOT NULL",
    ),
]


def _create(schema_editor, indexes):
    for name, definition in indexes:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    schema_editor.execute("ANALYZE shops_product")


def _drop(schema_editor, indexes):
    for name, _ in indexes:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def forwards(apps, schema_editor):
    _drop(schema_editor, OLD_INDEXES)
    _create(schema_editor, INDEXES)


def backwards(apps, schema_editor):
    _drop(schema_editor, INDEXES)
    _create(schema_editor, OLD_INDEXES)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0004_search_column_indexes"),
        ("shops", "0004_product_public_until"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
