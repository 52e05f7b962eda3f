CREATE OR REPLACE FUNCTION catalogue_province_json(province text) RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT '{"code":' || to_json(code)::text || ',"name":' || to_json(name)::text || '}'
   FROM regions_province WHERE code = province $$;
