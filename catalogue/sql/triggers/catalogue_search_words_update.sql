CREATE OR REPLACE TRIGGER catalogue_search_words_update
    AFTER UPDATE OF search_text, catalogue_seller_text ON shops_product
    FOR EACH ROW WHEN (OLD.search_text IS DISTINCT FROM NEW.search_text
                       OR OLD.catalogue_seller_text IS DISTINCT FROM NEW.catalogue_seller_text)
    EXECUTE FUNCTION catalogue_add_row_search_words();
