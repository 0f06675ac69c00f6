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
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x"
    GRANT SELECT ON TABLES TO zn_reader WITH GRANT OPTION;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x"
    REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" REVOKE USAGE ON TYPES FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" IN SCHEMA app
    GRANT USAGE ON SEQUENCES TO zn_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE "zn ""odd"" owner; x" REVOKE ALL ON SEQUENCES FROM "zn ""odd"" owner; x";
ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO zn_reader;
CREATE TABLE app.kept (id integer);
CREATE TABLE app.gone (id integer);
CREATE SEQUENCE app.gone_seq;
