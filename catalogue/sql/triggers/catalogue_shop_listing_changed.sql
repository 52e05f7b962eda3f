CREATE OR REPLACE TRIGGER catalogue_shop_listing_changed AFTER UPDATE OF slug, name, province_id
    ON shops_shop
    FOR EACH ROW WHEN (OLD.slug IS DISTINCT FROM NEW.slug
                       OR OLD.name IS DISTINCT FROM NEW.name
                       OR OLD.province_id IS DISTINCT FROM NEW.province_id)
    EXECUTE FUNCTION catalogue_shop_listing_changed();
