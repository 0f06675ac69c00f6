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
-- The grant option goes and a grant to PUBLIC comes; EXECUTE on
-- functions is given back, which is the default again (no row); the
-- schema's grant on sequences is revoked, which leaves the row empty (no
-- row); types get a grant beside the revoke, and one in the schema.
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" GRANT SELECT ON TABLES TO zn_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" GRANT INSERT ON TABLES TO PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" REVOKE USAGE ON TYPES FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" GRANT USAGE ON TYPES TO zn_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" IN SCHEMA app
    GRANT USAGE ON TYPES TO PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" REVOKE UPDATE ON SEQUENCES FROM "zn ""odd"" owner; x";
-- The running role's grant in the schema widens after kept is made; new
-- is made before it, and gone (dropped here) is made again under it by
-- the reverse.
CREATE TABLE app.new (id integer);
ALTER DEFAULT PRIVILEGES IN SCHEMA app
    GRANT SELECT, UPDATE ON TABLES TO zn_reader;
CREATE TABLE app.kept (id integer);
GRANT SELECT ON app.kept TO zn_reader;
CREATE SEQUENCE app.new_seq;
