DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE TABLE event (id serial PRIMARY KEY, name text);
GRANT INSERT ON event TO "zn ""odd"" writer";
GRANT USAGE ON SEQUENCE event_id_seq TO "zn ""odd"" writer";
GRANT SELECT ON SEQUENCE event_id_seq TO zn_reader;
CREATE TABLE log (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now());
GRANT INSERT ON log TO PUBLIC;
GRANT USAGE ON SEQUENCE log_id_seq TO PUBLIC;
