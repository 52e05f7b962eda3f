-- Pictures: the product's first picture written again only when it is another one
-- (a product's second and later pictures leave its row alone).
CREATE OR REPLACE FUNCTION catalogue_refresh_listing_image(product bigint) RETURNS void
LANGUAGE sql AS
$$ UPDATE shops_product SET catalogue_listing_image = first.path
   FROM (SELECT catalogue_listing_image(product) AS path) first
   WHERE id = product AND catalogue_listing_image IS DISTINCT FROM first.path $$;
