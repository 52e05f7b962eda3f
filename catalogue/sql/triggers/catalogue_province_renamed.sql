CREATE OR REPLACE TRIGGER catalogue_province_renamed AFTER UPDATE OF name ON regions_province
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION catalogue_province_renamed();
