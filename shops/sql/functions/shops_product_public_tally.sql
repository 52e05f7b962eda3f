CREATE OR REPLACE FUNCTION shops_product_public_tally() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        IF OLD.public_until IS NOT NULL THEN
            INSERT INTO shops_publicproducttally (public_until, products)
            VALUES (OLD.public_until, -1);
        END IF;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        IF NEW.public_until IS NOT NULL THEN
            INSERT INTO shops_publicproducttally (public_until, products)
            VALUES (NEW.public_until, 1);
        END IF;
    END IF;
    RETURN NULL;
END $$;
