CREATE OR REPLACE FUNCTION catalogue_product_listing_item() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.catalogue_listing_item := catalogue_listing_item(NEW);
    NEW.catalogue_listing_image := catalogue_listing_image(NEW.id);
    NEW.catalogue_stars := NULL;
    NEW.catalogue_product_group := NULL;
    SELECT stars, product_group INTO NEW.catalogue_stars, NEW.catalogue_product_group
    FROM shops_ocopcertificate WHERE id = NEW.certificate_id;
    NEW.catalogue_rating := (SELECT rating FROM orders_productrating WHERE product_id = NEW.id);
    RETURN NEW;
END $$;
