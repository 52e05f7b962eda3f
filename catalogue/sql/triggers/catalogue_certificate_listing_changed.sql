CREATE OR REPLACE TRIGGER catalogue_certificate_listing_changed
    AFTER UPDATE OF stars, product_group ON shops_ocopcertificate
    FOR EACH ROW WHEN (OLD.stars IS DISTINCT FROM NEW.stars
                       OR OLD.product_group IS DISTINCT FROM NEW.product_group)
    EXECUTE FUNCTION catalogue_certificate_listing_changed();
