CREATE OR REPLACE TRIGGER shops_product_public_tally_insert AFTER INSERT ON shops_product
    FOR EACH ROW WHEN (NEW.public_until IS NOT NULL)
    EXECUTE FUNCTION shops_product_public_tally();
