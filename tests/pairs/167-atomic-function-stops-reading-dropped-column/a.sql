CREATE TABLE post (id integer PRIMARY KEY, title text NOT NULL, legacy_slug text, hits integer);
CREATE FUNCTION post_slug(i integer) RETURNS text LANGUAGE sql STABLE
    BEGIN ATOMIC
        SELECT coalesce(legacy_slug, lower(title)) FROM post WHERE id = i;
    END;
CREATE VIEW popular_post AS SELECT id, title, hits FROM post WHERE hits > 100;
