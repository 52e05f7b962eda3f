CREATE OR REPLACE FUNCTION catalogue_search_entries_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_search_entry
        (product_id, public_until, created_at, search_name, document)
    SELECT id, public_until, created_at, search_name,
           catalogue_search_document(search_text, catalogue_seller_text)
    FROM new_rows ORDER BY search_name COLLATE "C";
    RETURN NULL;
END $$;
