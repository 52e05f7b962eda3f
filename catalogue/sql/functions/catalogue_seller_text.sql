CREATE OR REPLACE FUNCTION catalogue_seller_text(shop_id bigint, province text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT concat_ws(' ',
       (SELECT search_name FROM shops_shop WHERE id = shop_id),
       (SELECT catalogue_search_text(name) FROM regions_province WHERE code = province)) $$;
