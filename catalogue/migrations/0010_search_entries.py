"""A search entry per product, in a narrow table kept in the order of product names
(PostgreSQL only).

A search counts and ranks every public product it matches, so its cost is reading
them: at 100,000 products, `nuoc mam` matches 3,135 of them on 3,214 of the products
table's pages, one page per match, since products are stored in the order they were
written. `catalogue_search_entry` holds what a search alone reads of a product (its
visibility, creation time, normalised name and word document, 0006) and nothing else,
and `search_indexes_rebuild()` (the weekly beat task) rewrites it in name order, so
products of the same kind, which a search's words mostly name, share pages: the same
search reads 312 pages, and its statement takes 2.7 ms instead of 5.9 (the median of
100 runs, on the bench's database). A search with other filters or another order
still reads the products table and its own word index: it reads their columns anyway.

Triggers on `shops_product` keep each entry equal to its product in the writing
transaction: an insert adds it, an update of any of those columns rewrites it (its
document only when the words changed, so a change of visibility can be made in place),
a delete or a truncate removes it. Updated entries keep their page while it has room
(`fillfactor`), so the order holds between rebuilds; new products join at the end
until the next one.

History: the current text of the functions and triggers below is their file in
`catalogue/sql/`, applied from catalogue/0012 on (`marketplace.core.sql_objects`).
"""

from django.db import migrations

CREATE = r"""
CREATE TABLE catalogue_search_entry (
    product_id bigint PRIMARY KEY,
    public_until date,
    created_at timestamptz NOT NULL,
    search_name text NOT NULL,
    document tsvector NOT NULL
) WITH (fillfactor = 90);

CREATE FUNCTION catalogue_search_entries_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_search_entry
        (product_id, public_until, created_at, search_name, document)
    SELECT id, public_until, created_at, search_name,
           catalogue_search_document(search_text, catalogue_seller_text)
    FROM new_rows ORDER BY search_name COLLATE "C";
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_search_entries_insert AFTER INSERT ON shops_product
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_search_entries_insert();

CREATE FUNCTION catalogue_search_entry_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalogue_search_entry
    SET public_until = NEW.public_until, created_at = NEW.created_at,
        search_name = NEW.search_name,
        document = CASE
            WHEN OLD.search_text IS DISTINCT FROM NEW.search_text
                 OR OLD.catalogue_seller_text IS DISTINCT FROM NEW.catalogue_seller_text
            THEN catalogue_search_document(NEW.search_text, NEW.catalogue_seller_text)
            ELSE document END
    WHERE product_id = NEW.id;
    RETURN NULL;
END $$;

-- A row trigger with a WHEN clause, not `UPDATE OF` columns: it sees the seller text
-- that a BEFORE trigger rewrote (a product moved to another shop), and the price and
-- stock updates of every sale never call a function.
CREATE TRIGGER catalogue_search_entry_update AFTER UPDATE ON shops_product
    FOR EACH ROW WHEN (OLD.public_until IS DISTINCT FROM NEW.public_until
                       OR OLD.created_at IS DISTINCT FROM NEW.created_at
                       OR OLD.search_name IS DISTINCT FROM NEW.search_name
                       OR OLD.search_text IS DISTINCT FROM NEW.search_text
                       OR OLD.catalogue_seller_text IS DISTINCT FROM NEW.catalogue_seller_text)
    EXECUTE FUNCTION catalogue_search_entry_update();

CREATE FUNCTION catalogue_search_entries_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM catalogue_search_entry USING old_rows
    WHERE catalogue_search_entry.product_id = old_rows.id;
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_search_entries_delete AFTER DELETE ON shops_product
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_search_entries_delete();

-- Django's test flush truncates the products table; a truncate fires no delete trigger.
CREATE FUNCTION catalogue_search_entries_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM catalogue_search_entry;
    RETURN NULL;
END $$;

CREATE TRIGGER catalogue_search_entries_truncate AFTER TRUNCATE ON shops_product
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_search_entries_truncate();

INSERT INTO catalogue_search_entry (product_id, public_until, created_at, search_name, document)
SELECT id, public_until, created_at, search_name,
       catalogue_search_document(search_text, catalogue_seller_text)
FROM shops_product ORDER BY search_name COLLATE "C";

-- See 0006 for the small pending list.
CREATE INDEX catalogue_search_entry_document ON catalogue_search_entry
    USING gin (document) WITH (fastupdate = on, gin_pending_list_limit = 256);
-- The order `CLUSTER catalogue_search_entry` puts the entries in.
CREATE INDEX catalogue_search_entry_name ON catalogue_search_entry
    (search_name COLLATE "C");
ALTER TABLE catalogue_search_entry CLUSTER ON catalogue_search_entry_name;

ANALYZE catalogue_search_entry;
"""

DROP = """
DROP TRIGGER IF EXISTS catalogue_search_entries_insert ON shops_product;
DROP TRIGGER IF EXISTS catalogue_search_entry_update ON shops_product;
DROP TRIGGER IF EXISTS catalogue_search_entries_delete ON shops_product;
DROP TRIGGER IF EXISTS catalogue_search_entries_truncate ON shops_product;
DROP FUNCTION IF EXISTS catalogue_search_entries_insert();
DROP FUNCTION IF EXISTS catalogue_search_entry_update();
DROP FUNCTION IF EXISTS catalogue_search_entries_delete();
DROP FUNCTION IF EXISTS catalogue_search_entries_truncate();
DROP TABLE IF EXISTS catalogue_search_entry;
"""


def forwards(apps, schema_editor):
    schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0009_listing_filter_columns")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
