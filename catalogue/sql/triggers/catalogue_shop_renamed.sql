CREATE OR REPLACE TRIGGER catalogue_shop_renamed AFTER UPDATE OF search_name ON shops_shop
    FOR EACH ROW WHEN (OLD.search_name IS DISTINCT FROM NEW.search_name)
    EXECUTE FUNCTION catalogue_shop_renamed();
