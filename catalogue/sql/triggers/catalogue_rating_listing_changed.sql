CREATE OR REPLACE TRIGGER catalogue_rating_listing_changed
    AFTER INSERT OR UPDATE OR DELETE ON orders_productrating
    FOR EACH ROW EXECUTE FUNCTION catalogue_rating_listing_changed();
