-- A row trigger with a WHEN clause, not `UPDATE OF` columns: it sees the seller text
-- that a BEFORE trigger rewrote (a product moved to another shop), and the price and
-- stock updates of every sale never call a function.
CREATE OR REPLACE TRIGGER catalogue_search_entry_update AFTER UPDATE ON shops_product
    FOR EACH ROW WHEN (OLD.public_until IS DISTINCT FROM NEW.public_until
                       OR OLD.created_at IS DISTINCT FROM NEW.created_at
                       OR OLD.search_name IS DISTINCT FROM NEW.search_name
                       OR OLD.search_text IS DISTINCT FROM NEW.search_text
                       OR OLD.catalogue_seller_text IS DISTINCT FROM NEW.catalogue_seller_text)
    EXECUTE FUNCTION catalogue_search_entry_update();
