CREATE OR REPLACE TRIGGER catalogue_search_entries_truncate AFTER TRUNCATE ON shops_product
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_search_entries_truncate();
