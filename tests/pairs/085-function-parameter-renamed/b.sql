CREATE FUNCTION add(x integer, y integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT x + y $$;
COMMENT ON FUNCTION add(integer, integer) IS 'sum';
CREATE FUNCTION greet(whom text DEFAULT 'me') RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT 'hi ' || whom $$;
CREATE PROCEDURE bump(IN k integer) LANGUAGE sql AS $$ SELECT k $$;
