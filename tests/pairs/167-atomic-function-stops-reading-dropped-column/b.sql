CREATE TABLE post (id integer PRIMARY KEY, title text NOT NULL);
CREATE FUNCTION post_slug(i integer) RETURNS text LANGUAGE sql STABLE
    BEGIN ATOMIC
        SELECT lower(title) FROM post WHERE id = i;
    END;
CREATE VIEW popular_post AS SELECT id, title FROM post WHERE id < 100;
