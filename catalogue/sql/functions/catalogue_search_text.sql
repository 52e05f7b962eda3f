-- The IMMUTABLE normaliser, equal to `marketplace.core.search.normalise_search_text`
-- (tests/catalogue/test_search_text.py). `unaccent()` is only STABLE, so it cannot
-- appear in an index expression; this pins the dictionary and promises immutability,
-- which holds as long as nobody edits unaccent.rules.
-- Schema-qualified: from PostgreSQL 17 an index build runs its functions with the
-- search_path `pg_catalog, pg_temp`, where a bare `catalogue_unaccent` is not found.
CREATE OR REPLACE FUNCTION catalogue_search_text(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT AS
$$ SELECT btrim(regexp_replace(
       lower(public.catalogue_unaccent('public.unaccent'::regdictionary, value)),
       '[^a-z0-9]+', ' ', 'g')) $$;
