CREATE OR REPLACE FUNCTION catalogue_search_entry_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE catalogue_search_entry
    SET public_until = NEW.public_until, created_at = NEW.created_at,
        search_name = NEW.search_name,
        document = CASE
            WHEN OLD.search_text IS DISTINCT FROM NEW.search_text
                 OR OLD.catalogue_seller_text IS DISTINCT FROM NEW.catalogue_seller_text
            THEN catalogue_search_document(NEW.search_text, NEW.catalogue_seller_text)
            ELSE document END
    WHERE product_id = NEW.id;
    RETURN NULL;
END $$;
