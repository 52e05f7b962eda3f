-- The writes elsewhere: the affected products' items set to null, recomputed by the
-- trigger above.
CREATE OR REPLACE FUNCTION catalogue_shop_listing_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shops_product SET catalogue_listing_item = NULL WHERE shop_id = NEW.id;
    RETURN NULL;
END $$;
