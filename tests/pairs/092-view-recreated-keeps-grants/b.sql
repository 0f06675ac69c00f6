DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE TABLE item (id integer PRIMARY KEY, price numeric(10,2) NOT NULL);
CREATE VIEW cheap AS SELECT id, price FROM item WHERE price < 10;
GRANT SELECT ON cheap TO zn_reader;
GRANT UPDATE (price) ON cheap TO "zn ""odd"" writer";
