"""Each product's listing item, stored (PostgreSQL only).

The unfiltered listing and a search's page are the marketplace's busiest answers; each
item joined the product to its shop, certificate, rating and first picture and wrote
its JSON on every read (about 0.45 ms of database time for a page of 20 at 100,000
products). Now two columns of the catalogue's on `shops_product` hold what an item
shows, kept by the triggers below on every write that changes it, so a page reads its
20 rows and nothing else:

- `catalogue_listing_item`: the item's JSON text as `json.dumps` (compact, ensure_ascii
  off) writes `api.serializers.listing_item()`, up to and including `"image":` — the
  picture's URL is the storage's to build (MEDIA_URL, a CDN), so Python appends it and
  the closing brace.
- `catalogue_listing_image`: the first picture's path (thumbnail, else image) or null.

Nothing in Python writes them; they are not fields of the `Product` model. A product's
own write recomputes them (BEFORE trigger) when a column an item shows changes; a write
elsewhere (shop name, slug or province; certificate stars or group; rating) sets the
affected products' item to null, which has the same trigger recompute it in the same
statement; a picture's write sets the product's picture column, when its first picture
is another. Province names are fixed by law (loaded by migration; Python reads
them once per process too), so no trigger follows them. The visibility rule is not part of the item: pages
still walk `shops.selectors.public_products()`.

The JSON written here is the API's listing item (API.md): a change to that item's
fields or their format needs a migration replacing `catalogue_listing_item()` and
refreshing every row. Tests hold the bytes equal to the general path's.

History: the current text of the functions and triggers below is their file in
`catalogue/sql/`, applied from catalogue/0012 on (`marketplace.core.sql_objects`).
"""

from django.db import migrations

CREATE = r"""
CREATE FUNCTION catalogue_province_json(province text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT '{"code":' || to_json(code)::text || ',"name":' || to_json(name)::text || '}'
   FROM regions_province WHERE code = province $$;

-- Null when the shop or the certificate is not there (yet: the foreign keys are
-- deferred); the listing answers such a product through its general path.
CREATE FUNCTION catalogue_listing_item(product shops_product) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT '{"id":' || product.id::text
       || ',"name":' || to_json(product.name)::text
       || ',"shop":{"slug":' || to_json(s.slug)::text
       || ',"name":' || to_json(s.name)::text
       || ',"province":' || catalogue_province_json(s.province_id)
       || '},"origin_province":' || catalogue_province_json(product.origin_province_id)
       || ',"stars":' || COALESCE(c.stars::text, 'null')
       || ',"product_group":' || to_json(c.product_group)::text
       || ',"price_min":' || COALESCE(product.price_min::text, 'null')
       || ',"price_max":' || COALESCE(product.price_max::text, 'null')
       || ',"currency":"VND","in_stock":'
       || CASE WHEN product.in_stock THEN 'true' ELSE 'false' END
       -- numeric(3,2) as Python writes float(value): 4.5, 4.0, 3.67.
       || ',"rating":' || CASE WHEN r.rating IS NULL THEN 'null'
                               WHEN r.rating = trunc(r.rating) THEN trunc(r.rating)::text || '.0'
                               ELSE rtrim(r.rating::text, '0') END
       || ',"review_count":' || COALESCE(r.review_count, 0)::text
       || ',"image":'
   FROM shops_shop s
   JOIN shops_ocopcertificate c ON c.id = product.certificate_id
   LEFT JOIN orders_productrating r ON r.product_id = product.id
   WHERE s.id = product.shop_id $$;

CREATE FUNCTION catalogue_listing_image(product bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT COALESCE(NULLIF(thumbnail, ''), image) FROM shops_productimage
   WHERE product_id = product ORDER BY position, id LIMIT 1 $$;

CREATE FUNCTION catalogue_product_listing_item() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.catalogue_listing_item := catalogue_listing_item(NEW);
    NEW.catalogue_listing_image := catalogue_listing_image(NEW.id);
    RETURN NEW;
END $$;

ALTER TABLE shops_product ADD COLUMN catalogue_listing_item text,
                          ADD COLUMN catalogue_listing_image text;

CREATE TRIGGER catalogue_listing_item_insert BEFORE INSERT ON shops_product
    FOR EACH ROW EXECUTE FUNCTION catalogue_product_listing_item();
-- Only when something an item shows moves: the stock updates of a sale that leave
-- the product in stock call nothing.
CREATE TRIGGER catalogue_listing_item_update BEFORE UPDATE ON shops_product
    FOR EACH ROW WHEN (NEW.catalogue_listing_item IS NULL
                       OR OLD.name IS DISTINCT FROM NEW.name
                       OR OLD.shop_id IS DISTINCT FROM NEW.shop_id
                       OR OLD.certificate_id IS DISTINCT FROM NEW.certificate_id
                       OR OLD.origin_province_id IS DISTINCT FROM NEW.origin_province_id
                       OR OLD.price_min IS DISTINCT FROM NEW.price_min
                       OR OLD.price_max IS DISTINCT FROM NEW.price_max
                       OR OLD.in_stock IS DISTINCT FROM NEW.in_stock
                       OR OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION catalogue_product_listing_item();

-- The writes elsewhere: the affected products' items set to null, recomputed by the
-- trigger above.
CREATE FUNCTION catalogue_shop_listing_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shops_product SET catalogue_listing_item = NULL WHERE shop_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_shop_listing_changed AFTER UPDATE OF slug, name, province_id
    ON shops_shop
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug
                       OR OLD.name IS DISTINCT FROM NEW.name
                       OR OLD.province_id IS DISTINCT FROM NEW.province_id)
    EXECUTE FUNCTION catalogue_shop_listing_changed();

CREATE FUNCTION catalogue_certificate_listing_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shops_product SET catalogue_listing_item = NULL WHERE certificate_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_certificate_listing_changed
    AFTER UPDATE OF stars, product_group ON shops_ocopcertificate
    FOR EACH ROW WHEN (OLD.stars IS DISTINCT FROM NEW.stars
                       OR OLD.product_group IS DISTINCT FROM NEW.product_group)
    EXECUTE FUNCTION catalogue_certificate_listing_changed();

-- Ratings: the product of the old row and of the new one.
CREATE FUNCTION catalogue_rating_listing_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE shops_product SET catalogue_listing_item = NULL WHERE id = OLD.product_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF TG_OP = 'INSERT' OR OLD.product_id IS DISTINCT FROM NEW.product_id THEN
            UPDATE shops_product SET catalogue_listing_item = NULL WHERE id = NEW.product_id;
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_rating_listing_changed
    AFTER INSERT OR UPDATE OR DELETE ON orders_productrating
    FOR EACH ROW EXECUTE FUNCTION catalogue_rating_listing_changed();

-- Pictures: the product's first picture written again only when it is another one
-- (a product's second and later pictures leave its row alone).
CREATE FUNCTION catalogue_refresh_listing_image(product bigint) RETURNS void
LANGUAGE sql AS
$$ UPDATE shops_product SET catalogue_listing_image = first.path
   FROM (SELECT catalogue_listing_image(product) AS path) first
   WHERE id = product AND catalogue_listing_image IS DISTINCT FROM first.path $$;

CREATE FUNCTION catalogue_image_listing_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM catalogue_refresh_listing_image(OLD.product_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF TG_OP = 'INSERT' OR OLD.product_id IS DISTINCT FROM NEW.product_id THEN
            PERFORM catalogue_refresh_listing_image(NEW.product_id);
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_image_listing_changed
    AFTER INSERT OR UPDATE OR DELETE ON shops_productimage
    FOR EACH ROW EXECUTE FUNCTION catalogue_image_listing_changed();

UPDATE shops_product SET catalogue_listing_item = NULL;
ANALYZE shops_product;
"""

DROP = """
DROP TRIGGER IF EXISTS catalogue_image_listing_changed ON shops_productimage;
DROP FUNCTION IF EXISTS catalogue_image_listing_changed();
DROP FUNCTION IF EXISTS catalogue_refresh_listing_image(bigint);
DROP TRIGGER IF EXISTS catalogue_rating_listing_changed ON orders_productrating;
DROP FUNCTION IF EXISTS catalogue_rating_listing_changed();
DROP TRIGGER IF EXISTS catalogue_certificate_listing_changed ON shops_ocopcertificate;
DROP FUNCTION IF EXISTS catalogue_certificate_listing_changed();
DROP TRIGGER IF EXISTS catalogue_shop_listing_changed ON shops_shop;
DROP FUNCTION IF EXISTS catalogue_shop_listing_changed();
DROP TRIGGER IF EXISTS catalogue_listing_item_update ON shops_product;
DROP TRIGGER IF EXISTS catalogue_listing_item_insert ON shops_product;
DROP FUNCTION IF EXISTS catalogue_product_listing_item();
ALTER TABLE shops_product DROP COLUMN IF EXISTS catalogue_listing_item,
                          DROP COLUMN IF EXISTS catalogue_listing_image;
DROP FUNCTION IF EXISTS catalogue_listing_image(bigint);
DROP FUNCTION IF EXISTS catalogue_listing_item(shops_product);
DROP FUNCTION IF EXISTS catalogue_province_json(text);
"""


def forwards(apps, schema_editor):
    schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0006_search_words"),
        ("shops", "0005_public_tally_running_totals"),
        ("orders", "0001_initial"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
