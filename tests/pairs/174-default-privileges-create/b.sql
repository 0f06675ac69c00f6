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
CREATE TABLE app.kept (id integer PRIMARY KEY);
-- Another role's: for all its schemas and in one made here.
CREATE SCHEMA "new sch";
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x"
    GRANT SELECT ON TABLES TO zn_reader WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x"
    REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x"
    GRANT CREATE ON SCHEMAS TO zn_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" IN SCHEMA "new sch"
    GRANT USAGE, SELECT ON SEQUENCES TO zn_reader, PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" IN SCHEMA "new sch"
    GRANT USAGE ON TYPES TO "zn ""odd"" owner; x" WITH GRANT OPTION;
-- The role that makes the objects: those made before get none of it.
CREATE TABLE app.before_defaults (id integer);
CREATE FUNCTION app.before_f() RETURNS integer LANGUAGE sql AS 'SELECT 1';
CREATE TYPE app.before_mood AS ENUM ('ok');
ALTER DEFAULT PRIVILEGES IN SCHEMA app
    GRANT SELECT, INSERT ON TABLES TO zn_reader;
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT EXECUTE ON FUNCTIONS TO zn_reader;
ALTER DEFAULT PRIVILEGES REVOKE USAGE ON TYPES FROM PUBLIC;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO zn_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA app
    GRANT USAGE ON TYPES TO "zn ""odd"" owner; x" WITH GRANT OPTION;
CREATE TABLE app.after_defaults (id integer);
CREATE VIEW app.after_view AS SELECT id FROM app.after_defaults;
CREATE FUNCTION app.after_f() RETURNS integer LANGUAGE sql AS 'SELECT 2';
CREATE TYPE app.after_mood AS ENUM ('ok');
CREATE SCHEMA after_sch;
