"""Word indexes for the catalogue's search (PostgreSQL only).

A search word matches a product when a word of its name or description starts with it,
or a word of its shop's or province's name does. Trigram indexes answered that badly:
`LIKE '%ong%'` keeps every row whose text contains the three letters anywhere, so a
short word left most of the table to recheck, and the shop and province alternatives
(lists of thousands of shop ids for words like "hop", "xa" or "an") turned every word
into an OR that no single index answers. Now one GIN index answers the whole query:

- `shops_product.catalogue_seller_text`: the product's shop name and origin province
  name, normalised. A column of the catalogue's, not of the `Product` model: triggers
  here fill it on insert, when a product moves shop or province, and on every product
  of a shop whose name changes; nothing in Python reads or writes it.
- `catalogue_search_document(search_text, catalogue_seller_text)`: the words of both
  (`to_tsvector('simple', ...)` of text the normaliser has reduced to `[a-z0-9]` words
  separated by single spaces, so its lexemes are exactly those words), GIN-indexed.
- `catalogue_search_word`: every word that has ever appeared in a product's document
  (kept by triggers, never pruned: a stale word matches nothing). A query word is
  expanded to the words it starts (`ong` → `ong`, `ong1`, ...), so the index is asked
  for exact lexemes, which it intersects by skipping through posting lists, instead of
  a prefix scan that reads every posting of every lexeme starting with the word (5 to
  15 times slower at 100,000 products for common words such as `mat` or `dac`).

The trigram indexes over the product's search text and the shop's search name served
the substring matching and go; the one over the product's search name stays (typo
tolerance, `search_name %> query`).

History: the current text of the functions and triggers below is their file in
`catalogue/sql/`, applied from catalogue/0012 on (`marketplace.core.sql_objects`).
"""

from django.db import migrations

CREATE = r"""
ALTER TABLE shops_product ADD COLUMN catalogue_seller_text text NOT NULL DEFAULT '';

CREATE FUNCTION catalogue_seller_text(shop_id bigint, province text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT concat_ws(' ',
       (SELECT search_name FROM shops_shop WHERE id = shop_id),
       (SELECT catalogue_search_text(name) FROM regions_province WHERE code = province)) $$;

CREATE FUNCTION catalogue_product_seller_text() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.catalogue_seller_text := catalogue_seller_text(NEW.shop_id, NEW.origin_province_id);
    RETURN NEW;
END $$;

CREATE TRIGGER catalogue_seller_text_insert BEFORE INSERT ON shops_product
    FOR EACH ROW EXECUTE FUNCTION catalogue_product_seller_text();
CREATE TRIGGER catalogue_seller_text_update
    BEFORE UPDATE OF shop_id, origin_province_id ON shops_product
    FOR EACH ROW WHEN (OLD.shop_id IS DISTINCT FROM NEW.shop_id
                       OR OLD.origin_province_id IS DISTINCT FROM NEW.origin_province_id)
    EXECUTE FUNCTION catalogue_product_seller_text();

CREATE FUNCTION catalogue_shop_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shops_product
    SET catalogue_seller_text = catalogue_seller_text(shop_id, origin_province_id)
    WHERE shop_id = NEW.id;
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_shop_renamed AFTER UPDATE OF search_name ON shops_shop
    FOR EACH ROW WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name)
    EXECUTE FUNCTION catalogue_shop_renamed();

UPDATE shops_product
SET catalogue_seller_text = catalogue_seller_text(shop_id, origin_province_id);

-- PL/pgSQL, not SQL: never inlined, so its COST stands and tells the planner that
-- computing a document per row is dear. Inlined, `to_tsvector` looks cheap, and a
-- search with a LIMIT or an index order (`ordering=price`) would be planned as a walk
-- over the table that computes every row's document until enough match: fast for a
-- common word, a whole-table scan for a rare one.
-- PARALLEL UNSAFE although it is safe: that high COST would otherwise have the planner
-- split every search over parallel workers, which on a busy 2-core server cost more
-- than they save (measured: about half the searches per second under load).
CREATE FUNCTION catalogue_search_document(search_text text, seller_text text)
RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE COST 1000 AS
$$ BEGIN
    RETURN to_tsvector('simple'::regconfig,
        coalesce(search_text, '') || ' ' || coalesce(seller_text, ''));
END $$;

-- A small pending list (256 kB, not the default 4 MB): every search scans the pending
-- list, so it stays short, while new rows still reach the index in sorted batches.
-- Measured at 100,000 products inserted in batches after the index: 10 MB and 1.6 ms
-- for a four-word query, against 29 MB and 8 ms without a pending list (row by row
-- inserts split pages half full) and 9.5 MB for an index built in one go. Updates
-- that move an indexed column (price, visibility) add entries too: the bench loader,
-- which updates every product after inserting it, leaves 31 MB (5 ms for that
-- query) until a REINDEX.
CREATE INDEX IF NOT EXISTS catalogue_product_search_document ON shops_product
    USING gin (catalogue_search_document(search_text, catalogue_seller_text))
    WITH (fastupdate = on, gin_pending_list_limit = 256);

CREATE TABLE catalogue_search_word (word text COLLATE "C" PRIMARY KEY);

-- In sorted order: two transactions adding the same new words wait for each other in
-- the same order, never in a cycle.
CREATE FUNCTION catalogue_add_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_search_word (word)
    SELECT DISTINCT w FROM new_rows, unnest(tsvector_to_array(catalogue_search_document(
        new_rows.search_text, new_rows.catalogue_seller_text))) AS w
    ORDER BY w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_search_words_insert AFTER INSERT ON shops_product
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_add_search_words();

-- A row trigger with a WHEN clause: the price and stock updates of every sale never
-- call a function; only changed words do.
CREATE FUNCTION catalogue_add_row_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_search_word (word)
    SELECT w FROM unnest(tsvector_to_array(catalogue_search_document(
        NEW.search_text, NEW.catalogue_seller_text))) AS w
    ORDER BY w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_search_words_update
    AFTER UPDATE OF search_text, catalogue_seller_text ON shops_product
    FOR EACH ROW WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text
                       OR OLD.catalogue_seller_text IS DISTINCT FROM NEW.catalogue_seller_text)
    EXECUTE FUNCTION catalogue_add_row_search_words();

INSERT INTO catalogue_search_word (word)
SELECT DISTINCT w FROM shops_product, unnest(tsvector_to_array(catalogue_search_document(
    search_text, catalogue_seller_text))) AS w
ON CONFLICT DO NOTHING;

DROP INDEX IF EXISTS catalogue_product_search_text_trgm;
DROP INDEX IF EXISTS catalogue_shop_search_name_trgm;
ANALYZE shops_product;
ANALYZE catalogue_search_word;
"""

DROP = """
CREATE INDEX IF NOT EXISTS catalogue_product_search_text_trgm ON shops_product
    USING gin (search_text gin_trgm_ops);
CREATE INDEX IF NOT EXISTS catalogue_shop_search_name_trgm ON shops_shop
    USING gin (search_name gin_trgm_ops);
DROP TRIGGER IF EXISTS catalogue_search_words_insert ON shops_product;
DROP TRIGGER IF EXISTS catalogue_search_words_update ON shops_product;
DROP FUNCTION IF EXISTS catalogue_add_search_words();
DROP FUNCTION IF EXISTS catalogue_add_row_search_words();
DROP TABLE IF EXISTS catalogue_search_word;
DROP INDEX IF EXISTS catalogue_product_search_document;
DROP FUNCTION IF EXISTS catalogue_search_document(text, text);
DROP TRIGGER IF EXISTS catalogue_shop_renamed ON shops_shop;
DROP FUNCTION IF EXISTS catalogue_shop_renamed();
DROP TRIGGER IF EXISTS catalogue_seller_text_insert ON shops_product;
DROP TRIGGER IF EXISTS catalogue_seller_text_update ON shops_product;
DROP FUNCTION IF EXISTS catalogue_product_seller_text();
DROP FUNCTION IF EXISTS catalogue_seller_text(bigint, text);
ALTER TABLE shops_product DROP COLUMN IF EXISTS catalogue_seller_text;
"""


def forwards(apps, schema_editor):
    schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("catalogue", "0005_public_until_indexes"),
        ("shops", "0003_search_columns"),
        ("regions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
