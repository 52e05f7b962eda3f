CREATE OR REPLACE FUNCTION catalogue_shop_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shops_product
    SET catalogue_seller_text = catalogue_seller_text(shop_id, origin_province_id)
    WHERE shop_id = NEW.id;
    RETURN NULL;
END $$;
