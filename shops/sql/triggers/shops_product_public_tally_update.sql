CREATE OR REPLACE TRIGGER shops_product_public_tally_update AFTER UPDATE OF public_until ON shops_product
    FOR EACH ROW WHEN (OLD.public_until IS DISTINCT FROM NEW.public_until)
    EXECUTE FUNCTION shops_product_public_tally();
