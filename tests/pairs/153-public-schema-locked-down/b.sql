DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO zn_reader;
GRANT USAGE, CREATE ON SCHEMA public TO "zn ""odd"" writer" WITH GRANT OPTION;
CREATE TABLE note (id integer PRIMARY KEY, body text);
CREATE SCHEMA scratch;
GRANT USAGE, CREATE ON SCHEMA scratch TO PUBLIC;
