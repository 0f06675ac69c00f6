DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" owner; x') THEN
        CREATE ROLE "zn ""odd"" owner; x";
    END IF;
END $$;
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok');
REVOKE USAGE ON TYPE app.mood FROM PUBLIC;
GRANT USAGE ON TYPE app.mood TO zn_reader;
CREATE DOMAIN app.email AS text CHECK (VALUE ~ '@');
GRANT USAGE ON DOMAIN app.email TO "zn ""odd"" owner; x" WITH GRANT OPTION;
CREATE TYPE app.pair AS (a integer, b text);
REVOKE ALL ON TYPE app.pair FROM PUBLIC;
GRANT ALL ON TYPE app.pair TO zn_reader, "zn ""odd"" owner; x";
CREATE TYPE app.span AS RANGE (subtype = float8);
REVOKE USAGE ON TYPE app.span FROM PUBLIC;
GRANT USAGE ON TYPE app.span TO PUBLIC;
GRANT USAGE ON TYPE app.span TO zn_reader WITH GRANT OPTION;
CREATE TABLE app.t (m app.mood, e app.email, p app.pair, s app.span);
