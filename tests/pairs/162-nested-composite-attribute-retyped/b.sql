CREATE TYPE coord AS (lat double precision, lon double precision, alt real);
CREATE TYPE place AS (name text, at coord, route coord[]);
CREATE FUNCTION here() RETURNS place LANGUAGE sql IMMUTABLE
    AS $$ SELECT ROW('home', ROW(0, 0, 0)::coord, ARRAY[]::coord[])::place $$;
CREATE FUNCTION name_of(p place) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT (p).name $$;
