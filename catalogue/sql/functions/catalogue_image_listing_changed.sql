CREATE OR REPLACE FUNCTION catalogue_image_listing_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM catalogue_refresh_listing_image(OLD.product_id);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF TG_OP = 'INSERT' OR OLD.product_id IS DISTINCT FROM NEW.product_id THEN
            PERFORM catalogue_refresh_listing_image(NEW.product_id);
        END IF;
    END IF;
    RETURN NULL;
END $$;
