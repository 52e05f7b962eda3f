-- Null when the shop or the certificate is not there (yet: the foreign keys are
-- deferred); the listing answers such a product through its general path.
CREATE OR REPLACE FUNCTION catalogue_listing_item(product shops_product) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT '{"id":' || product.id::text
       || ',"name":' || to_json(product.name)::text
       || ',"shop":{"slug":' || to_json(s.slug)::text
       || ',"name":' || to_json(s.name)::text
       || ',"province":' || catalogue_province_json(s.province_id)
       || '},"origin_province":' || catalogue_province_json(product.origin_province_id)
       || ',"stars":' || COALESCE(c.stars::text, 'null')
       || ',"product_group":' || to_json(c.product_group)::text
       || ',"price_min":' || COALESCE(product.price_min::text, 'null')
       || ',"price_max":' || COALESCE(product.price_max::text, 'null')
       || ',"currency":"VND","in_stock":'
       || CASE WHEN product.in_stock THEN 'true' ELSE 'false' END
       -- numeric(3,2) as Python writes float(value): 4.5, 4.0, 3.67.
       || ',"rating":' || CASE WHEN r.rating IS NULL THEN 'null'
                               WHEN r.rating = trunc(r.rating) THEN trunc(r.rating)::text || '.0'
                               ELSE rtrim(r.rating::text, '0') END
       || ',"review_count":' || COALESCE(r.review_count, 0)::text
       || ',"image":'
   FROM shops_shop s
   JOIN shops_ocopcertificate c ON c.id = product.certificate_id
   LEFT JOIN orders_productrating r ON r.product_id = product.id
   WHERE s.id = product.shop_id $$;
