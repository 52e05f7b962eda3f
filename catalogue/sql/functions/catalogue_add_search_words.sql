-- In sorted order: two transactions adding the same new words wait for each other in
-- the same order, never in a cycle.
CREATE OR REPLACE FUNCTION catalogue_add_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_search_word (word)
    SELECT DISTINCT w FROM new_rows, unnest(tsvector_to_array(catalogue_search_document(
        new_rows.search_text, new_rows.catalogue_seller_text))) AS w
    ORDER BY w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
