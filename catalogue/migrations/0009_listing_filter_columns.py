"""The certificate's stars and product group, and the product's rating, stored on each
product for the listing's filters and its `-rating` order (PostgreSQL only).

`?stars=` and `?product_group=` filtered on the certificate through a join: a filtered
count or page joined every product of the other filters to its certificate, or every
certificate of those stars to its product (at 100,000 products, a province and a star
rating took 15 ms to count and as long again for its page). Now two columns of the
catalogue's on `shops_product`, `catalogue_stars` and `catalogue_product_group`, are
written by the trigger that writes the product's listing item (0007), so they follow
the same writes: the product's own (a new certificate) and its certificate's (stars or
group changed, which sets the item to null and has it recomputed). Like the item, they
are null while the certificate is not there (deferred foreign keys); the write that
makes a product public recomputes them.

`?ordering=-rating` joined every product to its `orders_productrating` row to sort
them all; `catalogue_rating` is that row's rating, written by the same trigger (a
review's write sets the item to null, 0007), so the order is an index walk.

Indexes over them, beside `public_until` (the visibility rule) and what the other
filters read, so a filtered count reads one index:
- province and stars, by price either way (a province's filter panel, the commonest
  pair, and its price order: the page's ids are the index's first entries, where the
  price index alone was walked, filtering, until 20 of a rare star rating turned up);
- product group, newest first (browsing a category, a page is an index walk);
- stars, newest first;
- rating, best first (then newest, as the listing orders).

History: the current text of the functions and triggers below is their file in
`catalogue/sql/`, applied from catalogue/0012 on (`marketplace.core.sql_objects`).
"""

from django.db import migrations

CREATE = r"""
ALTER TABLE shops_product ADD COLUMN catalogue_stars smallint,
                          ADD COLUMN catalogue_product_group text,
                          ADD COLUMN catalogue_rating numeric(3, 2);

CREATE OR REPLACE FUNCTION catalogue_product_listing_item() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.catalogue_listing_item := catalogue_listing_item(NEW);
    NEW.catalogue_listing_image := catalogue_listing_image(NEW.id);
    NEW.catalogue_stars := NULL;
    NEW.catalogue_product_group := NULL;
    SELECT stars, product_group INTO NEW.catalogue_stars, NEW.catalogue_product_group
    FROM shops_ocopcertificate WHERE id = NEW.certificate_id;
    NEW.catalogue_rating := (SELECT rating FROM orders_productrating WHERE product_id = NEW.id);
    RETURN NEW;
END $$;

-- Through the trigger: every row's item recomputed, its certificate's columns with it.
UPDATE shops_product SET catalogue_listing_item = NULL;

CREATE INDEX IF NOT EXISTS catalogue_product_public_province_stars_price_asc
    ON shops_product
    (origin_province_id, catalogue_stars, price_min ASC NULLS LAST, created_at DESC, id DESC)
    INCLUDE (catalogue_product_group, in_stock, public_until)
    WHERE public_until IS NOT NULL;
CREATE INDEX IF NOT EXISTS catalogue_product_public_province_stars_price_desc
    ON shops_product
    (origin_province_id, catalogue_stars, price_min DESC NULLS LAST, created_at DESC, id DESC)
    INCLUDE (catalogue_product_group, in_stock, public_until)
    WHERE public_until IS NOT NULL;
CREATE INDEX IF NOT EXISTS catalogue_product_public_group_newest ON shops_product
    (catalogue_product_group, created_at DESC, id DESC)
    INCLUDE (catalogue_stars, price_min, in_stock, public_until)
    WHERE public_until IS NOT NULL;
CREATE INDEX IF NOT EXISTS catalogue_product_public_stars_newest ON shops_product
    (catalogue_stars, created_at DESC, id DESC)
    INCLUDE (catalogue_product_group, price_min, in_stock, public_until)
    WHERE public_until IS NOT NULL;
CREATE INDEX IF NOT EXISTS catalogue_product_public_rating ON shops_product
    (catalogue_rating DESC NULLS LAST, created_at DESC, id DESC)
    WHERE public_until IS NOT NULL;
ANALYZE shops_product;
"""

DROP = """
DROP INDEX IF EXISTS catalogue_product_public_rating;
DROP INDEX IF EXISTS catalogue_product_public_stars_newest;
DROP INDEX IF EXISTS catalogue_product_public_group_newest;
DROP INDEX IF EXISTS catalogue_product_public_province_stars_price_desc;
DROP INDEX IF EXISTS catalogue_product_public_province_stars_price_asc;
CREATE OR REPLACE FUNCTION catalogue_product_listing_item() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.catalogue_listing_item := catalogue_listing_item(NEW);
    NEW.catalogue_listing_image := catalogue_listing_image(NEW.id);
    RETURN NEW;
END $$;
ALTER TABLE shops_product DROP COLUMN IF EXISTS catalogue_stars,
                          DROP COLUMN IF EXISTS catalogue_product_group,
                          DROP COLUMN IF EXISTS catalogue_rating;
"""


def forwards(apps, schema_editor):
    schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0008_province_renamed")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
