CREATE OR REPLACE FUNCTION catalogue_listing_image(product bigint) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT COALESCE(NULLIF(thumbnail, ''), image) FROM shops_productimage
   WHERE product_id = product ORDER BY position, id LIMIT 1 $$;
