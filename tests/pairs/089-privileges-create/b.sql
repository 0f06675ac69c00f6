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
GRANT USAGE ON SCHEMA app TO zn_reader;
GRANT USAGE, CREATE ON SCHEMA app TO "zn ""odd"" writer" WITH GRANT OPTION;
CREATE TABLE app.account (id integer PRIMARY KEY, email text, secret text);
GRANT SELECT ON app.account TO zn_reader;
GRANT INSERT, UPDATE, DELETE ON app.account TO "zn ""odd"" writer" WITH GRANT OPTION;
GRANT SELECT (id, email), UPDATE (email) ON app.account TO PUBLIC;
CREATE SEQUENCE app.counter;
GRANT USAGE, SELECT ON SEQUENCE app.counter TO "zn ""odd"" writer";
CREATE VIEW app.emails AS SELECT id, email FROM app.account;
GRANT SELECT ON app.emails TO zn_reader;
CREATE MATERIALIZED VIEW app.counts AS SELECT count(*) AS n FROM app.account;
GRANT SELECT ON app.counts TO PUBLIC;
CREATE FUNCTION app.secret_of(i integer) RETURNS text LANGUAGE sql
    SECURITY DEFINER AS $$ SELECT secret FROM app.account WHERE id = i $$;
REVOKE EXECUTE ON FUNCTION app.secret_of(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.secret_of(integer) TO zn_reader;
CREATE PROCEDURE app.purge() LANGUAGE sql AS $$ DELETE FROM app.account $$;
REVOKE EXECUTE ON PROCEDURE app.purge() FROM PUBLIC;
GRANT CREATE ON SCHEMA public TO zn_reader;
