CREATE OR REPLACE FUNCTION catalogue_product_seller_text() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.catalogue_seller_text := catalogue_seller_text(NEW.shop_id, NEW.origin_province_id);
    RETURN NEW;
END $$;
