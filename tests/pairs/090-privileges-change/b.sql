DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE SCHEMA app;
GRANT USAGE ON SCHEMA app TO zn_reader, "zn ""odd"" writer";
CREATE TABLE app.account (id integer PRIMARY KEY, email text, secret text);
GRANT SELECT, REFERENCES ON app.account TO zn_reader WITH GRANT OPTION;
GRANT INSERT ON app.account TO "zn ""odd"" writer";
GRANT SELECT (id), UPDATE (email, secret) ON app.account TO PUBLIC;
CREATE SEQUENCE app.counter;
GRANT USAGE ON SEQUENCE app.counter TO "zn ""odd"" writer", zn_reader;
CREATE VIEW app.emails AS SELECT id, email FROM app.account;
GRANT SELECT, INSERT ON app.emails TO "zn ""odd"" writer";
CREATE MATERIALIZED VIEW app.counts AS SELECT count(*) AS n FROM app.account;
CREATE FUNCTION app.secret_of(i integer) RETURNS text LANGUAGE sql
    SECURITY DEFINER AS $$ SELECT secret FROM app.account WHERE id = i $$;
CREATE PROCEDURE app.purge() LANGUAGE sql AS $$ DELETE FROM app.account $$;
GRANT EXECUTE ON PROCEDURE app.purge() TO zn_reader;
