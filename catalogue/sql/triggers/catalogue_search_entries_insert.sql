CREATE OR REPLACE TRIGGER catalogue_search_entries_insert AFTER INSERT ON shops_product
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_search_entries_insert();
