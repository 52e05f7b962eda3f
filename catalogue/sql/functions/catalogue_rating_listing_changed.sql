-- Ratings: the product of the old row and of the new one.
CREATE OR REPLACE FUNCTION catalogue_rating_listing_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        UPDATE shops_product SET catalogue_listing_item = NULL WHERE id = OLD.product_id;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF TG_OP = 'INSERT' OR OLD.product_id IS DISTINCT FROM NEW.product_id THEN
            UPDATE shops_product SET catalogue_listing_item = NULL WHERE id = NEW.product_id;
        END IF;
    END IF;
    RETURN NULL;
END $$;
