-- Django's test flush truncates the products table; a truncate fires no delete trigger.
CREATE OR REPLACE FUNCTION catalogue_search_entries_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM catalogue_search_entry;
    RETURN NULL;
END $$;
