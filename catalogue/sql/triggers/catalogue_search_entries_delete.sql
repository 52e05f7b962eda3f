CREATE OR REPLACE TRIGGER catalogue_search_entries_delete AFTER DELETE ON shops_product
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_search_entries_delete();
