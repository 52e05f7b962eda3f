CREATE OR REPLACE FUNCTION catalogue_certificate_listing_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE shops_product SET catalogue_listing_item = NULL WHERE certificate_id = NEW.id;
    RETURN NULL;
END $$;
