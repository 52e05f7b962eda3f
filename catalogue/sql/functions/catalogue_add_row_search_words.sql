-- A row trigger with a WHEN clause: the price and stock updates of every sale never
-- call a function; only changed words do.
CREATE OR REPLACE FUNCTION catalogue_add_row_search_words() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO catalogue_search_word (word)
    SELECT w FROM unnest(tsvector_to_array(catalogue_search_document(
        NEW.search_text, NEW.catalogue_seller_text))) AS w
    ORDER BY w
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
