CREATE OR REPLACE TRIGGER catalogue_seller_text_update
    BEFORE UPDATE OF shop_id, origin_province_id ON shops_product
    FOR EACH ROW WHEN (OLD.shop_id IS DISTINCT FROM NEW.shop_id
                       OR OLD.origin_province_id IS DISTINCT FROM NEW.origin_province_id)
    EXECUTE FUNCTION catalogue_product_seller_text();
