CREATE TABLE keep (id integer PRIMARY KEY);
CREATE SCHEMA audit;
CREATE TABLE audit.log (at timestamptz NOT NULL DEFAULT now(), what text NOT NULL);
CREATE FUNCTION audit.stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.seen_at := coalesce(NEW.seen_at, now());
    RETURN NEW;
END $$;
CREATE FUNCTION audit.note() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit.log (what) VALUES (TG_OP || ' on ' || TG_TABLE_NAME);
    RETURN NULL;
END $$;
CREATE TABLE reading (
    sensor integer NOT NULL,
    seen_at timestamptz,
    at date NOT NULL,
    v double precision
) PARTITION BY RANGE (at);
CREATE TABLE reading_2025 PARTITION OF reading FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE reading_2026 PARTITION OF reading FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TRIGGER reading_stamp BEFORE INSERT ON reading
    FOR EACH ROW EXECUTE FUNCTION audit.stamp();
CREATE TRIGGER reading_note AFTER INSERT OR DELETE ON reading
    FOR EACH STATEMENT EXECUTE FUNCTION audit.note();
CREATE FUNCTION audit.readings_of(s integer) RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC
        SELECT count(*) FROM reading WHERE sensor = s;
    END;
