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
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'great');
GRANT USAGE ON TYPE app.mood TO "zn ""odd"" owner; x";
CREATE TYPE app.level AS ENUM ('low', 'high');
REVOKE USAGE ON TYPE app.level FROM PUBLIC;
GRANT USAGE ON TYPE app.level TO "zn ""odd"" owner; x";
CREATE DOMAIN app.email AS text CHECK (VALUE ~ '@');
GRANT USAGE ON DOMAIN app.email TO "zn ""odd"" owner; x";
CREATE TYPE app.pair AS (a integer, b text);
REVOKE USAGE ON TYPE app.pair FROM PUBLIC;
CREATE TYPE app.span AS RANGE (subtype = float8);
GRANT USAGE ON TYPE app.span TO zn_reader;
CREATE TABLE app.t (m app.mood, l app.level, e app.email, p app.pair,
    s app.span);
