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
