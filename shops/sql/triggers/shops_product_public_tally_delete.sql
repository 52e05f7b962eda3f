CREATE OR REPLACE TRIGGER shops_product_public_tally_delete AFTER DELETE ON shops_product
    FOR EACH ROW WHEN (OLD.public_until IS NOT NULL)
    EXECUTE FUNCTION shops_product_public_tally();
