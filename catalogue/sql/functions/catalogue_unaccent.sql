-- unaccent's own C function declared IMMUTABLE: a SQL wrapper that calls only immutable
-- functions is inlined by the planner, about four times cheaper per row than one calling
-- the STABLE `public.unaccent`. Creating a C-language function needs a superuser; without
-- one it is not created and `catalogue_search_text` calls `public.unaccent` instead (same
-- result, slower; see catalogue/sql/__init__.py).
-- Its COST tells the planner that normalising every row is dear: once inlined, the
-- wrapper would otherwise look cheaper than the trigram indexes and be seq-scanned.
CREATE OR REPLACE FUNCTION catalogue_unaccent(regdictionary, text) RETURNS text
LANGUAGE c IMMUTABLE PARALLEL SAFE STRICT COST 1000
AS '$libdir/unaccent', 'unaccent_dict';
