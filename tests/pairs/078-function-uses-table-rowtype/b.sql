CREATE TABLE keep (id integer PRIMARY KEY);
CREATE TABLE film (id integer PRIMARY KEY, title text NOT NULL, year integer);
CREATE VIEW recent AS SELECT id, title FROM film WHERE year > 2000;
CREATE FUNCTION all_films() RETURNS SETOF film
    LANGUAGE sql STABLE AS $$ SELECT * FROM film $$;
CREATE FUNCTION film_label(f film) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT f.title || ' (' || f.year || ')' $$;
CREATE FUNCTION recent_films() RETURNS SETOF recent
    LANGUAGE sql STABLE AS $$ SELECT * FROM recent $$;
CREATE FUNCTION film_count() RETURNS bigint
    LANGUAGE sql STABLE
    BEGIN ATOMIC
        SELECT count(*) FROM film;
    END;
CREATE FUNCTION films_of(y integer) RETURNS TABLE (id integer, r recent)
    LANGUAGE sql STABLE AS $$ SELECT f.id, NULL::recent FROM film f WHERE f.year = y $$;
