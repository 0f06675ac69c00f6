CREATE FUNCTION add(a integer, b integer) RETURNS integer
    LANGUAGE sql IMMUTABLE AS $$ SELECT a + b $$;
COMMENT ON FUNCTION add(integer, integer) IS 'sum';
CREATE FUNCTION greet(who text DEFAULT 'you') RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT 'hi ' || who $$;
CREATE PROCEDURE bump(IN n integer) LANGUAGE sql AS $$ SELECT n $$;
