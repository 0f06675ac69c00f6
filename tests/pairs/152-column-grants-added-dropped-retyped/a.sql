DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE TABLE customer (id integer PRIMARY KEY, email varchar(80), fax text, note text);
GRANT SELECT ON customer TO zn_reader;
GRANT SELECT (id, email), UPDATE (email) ON customer TO "zn ""odd"" writer";
GRANT UPDATE (fax) ON customer TO "zn ""odd"" writer";
GRANT INSERT (id, fax) ON customer TO PUBLIC;
