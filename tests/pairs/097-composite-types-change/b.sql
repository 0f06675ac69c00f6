CREATE TYPE point3 AS (x bigint, y integer, w text, m numeric);
COMMENT ON COLUMN point3.y IS 'up';
CREATE TYPE label AS (t text, lang text COLLATE "C");
CREATE FUNCTION origin() RETURNS point3 LANGUAGE sql AS $$ SELECT ROW(0, 0, '', 0)::point3 $$;
