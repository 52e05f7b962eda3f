-- PL/pgSQL, not SQL: never inlined, so its COST stands and tells the planner that
-- computing a document per row is dear. Inlined, `to_tsvector` looks cheap, and a
-- search with a LIMIT or an index order (`ordering=price`) would be planned as a walk
-- over the table that computes every row's document until enough match: fast for a
-- common word, a whole-table scan for a rare one.
-- PARALLEL UNSAFE although it is safe: that high COST would otherwise have the planner
-- split every search over parallel workers, which on a busy 2-core server cost more
-- than they save (measured: about half the searches per second under load).
CREATE OR REPLACE FUNCTION catalogue_search_document(search_text text, seller_text text)
RETURNS tsvector
LANGUAGE plpgsql IMMUTABLE PARALLEL UNSAFE COST 1000 AS
$$ BEGIN
    RETURN to_tsvector('simple'::regconfig,
        coalesce(search_text, '') || ' ' || coalesce(seller_text, ''));
END $$;
