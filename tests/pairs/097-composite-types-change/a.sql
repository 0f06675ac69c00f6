CREATE TYPE point3 AS (x integer, y integer, w text, z integer);
COMMENT ON COLUMN point3.x IS 'across';
CREATE TYPE label AS (t text);
COMMENT ON TYPE label IS 'old';
CREATE FUNCTION origin() RETURNS point3 LANGUAGE sql AS $$ SELECT ROW(0, 0, '', 0)::point3 $$;
