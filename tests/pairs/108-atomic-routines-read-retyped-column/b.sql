DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE TABLE film (id integer PRIMARY KEY, title text NOT NULL, year integer);
CREATE FUNCTION films_since(y integer) RETURNS bigint LANGUAGE sql STABLE
    BEGIN ATOMIC
        SELECT count(*) FROM film WHERE year >= y;
    END;
COMMENT ON FUNCTION films_since(integer) IS 'how many since a year';
REVOKE EXECUTE ON FUNCTION films_since(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION films_since(integer) TO zn_reader;
CREATE PROCEDURE retitle(i integer, t text) LANGUAGE sql
    BEGIN ATOMIC
        UPDATE film SET title = t WHERE id = i;
    END;
