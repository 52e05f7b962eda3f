-- Only when something an item shows moves: the stock updates of a sale that leave
-- the product in stock call nothing.
CREATE OR REPLACE TRIGGER catalogue_listing_item_update BEFORE UPDATE ON shops_product
    FOR EACH ROW WHEN (NEW.catalogue_listing_item IS NULL
                       OR OLD.name IS DISTINCT FROM NEW.name
                       OR OLD.shop_id IS DISTINCT FROM NEW.shop_id
                       OR OLD.certificate_id IS DISTINCT FROM NEW.certificate_id
                       OR OLD.origin_province_id IS DISTINCT FROM NEW.origin_province_id
                       OR OLD.price_min IS DISTINCT FROM NEW.price_min
                       OR OLD.price_max IS DISTINCT FROM NEW.price_max
                       OR OLD.in_stock IS DISTINCT FROM NEW.in_stock
                       OR OLD.id IS DISTINCT FROM NEW.id)
    EXECUTE FUNCTION catalogue_product_listing_item();
