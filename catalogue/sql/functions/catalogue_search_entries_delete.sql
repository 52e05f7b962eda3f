CREATE OR REPLACE FUNCTION catalogue_search_entries_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM catalogue_search_entry USING old_rows
    WHERE catalogue_search_entry.product_id = old_rows.id;
    RETURN NULL;
END $$;
