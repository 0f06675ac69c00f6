CREATE TABLE item (id integer PRIMARY KEY, price numeric(10,2) NOT NULL);
CREATE VIEW cheap AS SELECT id, price FROM item WHERE price < 10;
COMMENT ON VIEW cheap IS 'under ten';
CREATE FUNCTION cheap_items() RETURNS SETOF cheap
    LANGUAGE sql STABLE AS $$ SELECT * FROM cheap $$;
CREATE FUNCTION cheap_count() RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC SELECT count(*) FROM cheap; END;
COMMENT ON FUNCTION cheap_items() IS 'the cheap ones';
CREATE FUNCTION cheap_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO item VALUES (NEW.id, NEW.price);
    RETURN NEW;
END $$;
CREATE TRIGGER cheap_ins INSTEAD OF INSERT ON cheap
    FOR EACH ROW EXECUTE FUNCTION cheap_insert();
COMMENT ON TRIGGER cheap_ins ON cheap IS 'writes through';
