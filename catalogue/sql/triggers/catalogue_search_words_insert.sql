CREATE OR REPLACE TRIGGER catalogue_search_words_insert AFTER INSERT ON shops_product
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION catalogue_add_search_words();
