CREATE OR REPLACE FUNCTION catalogue_province_renamed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shops_product
    SET catalogue_seller_text = catalogue_seller_text(shop_id, origin_province_id),
        catalogue_listing_item = NULL
    WHERE origin_province_id = NEW.code
       OR shop_id IN (SELECT id FROM shops_shop WHERE province_id = NEW.code);
    RETURN NULL;
END $$;
