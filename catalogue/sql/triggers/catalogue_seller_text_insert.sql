CREATE OR REPLACE TRIGGER catalogue_seller_text_insert BEFORE INSERT ON shops_product
    FOR EACH ROW EXECUTE FUNCTION catalogue_product_seller_text();
