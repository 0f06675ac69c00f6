CREATE TABLE items (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    changed_at timestamptz
);

CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.changed_at := now();
    RETURN NEW;
END
$$;

CREATE TRIGGER items_stamp_insert BEFORE INSERT ON items
    FOR EACH ROW EXECUTE FUNCTION stamp();
CREATE TRIGGER items_stamp_update BEFORE UPDATE ON items
    FOR EACH ROW EXECUTE FUNCTION stamp();
CREATE TRIGGER items_stamp_replica BEFORE UPDATE OF name ON items
    FOR EACH ROW EXECUTE FUNCTION stamp();
ALTER TABLE items DISABLE TRIGGER items_stamp_update;
