CREATE OR REPLACE TRIGGER catalogue_listing_item_insert BEFORE INSERT ON shops_product
    FOR EACH ROW EXECUTE FUNCTION catalogue_product_listing_item();
