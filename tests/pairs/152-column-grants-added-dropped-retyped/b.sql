DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE TABLE customer (id integer PRIMARY KEY, email text, note text, phone text);
GRANT SELECT ON customer TO zn_reader;
GRANT SELECT (id, email), UPDATE (email) ON customer TO "zn ""odd"" writer";
GRANT SELECT (phone), UPDATE (phone) ON customer TO "zn ""odd"" writer" WITH GRANT OPTION;
GRANT INSERT (id) ON customer TO PUBLIC;
