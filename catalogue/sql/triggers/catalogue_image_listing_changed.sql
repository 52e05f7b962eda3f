CREATE OR REPLACE TRIGGER catalogue_image_listing_changed
    AFTER INSERT OR UPDATE OR DELETE ON shops_productimage
    FOR EACH ROW EXECUTE FUNCTION catalogue_image_listing_changed();
