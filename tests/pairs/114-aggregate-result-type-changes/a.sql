CREATE FUNCTION concat_step(text, text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN $1 IS NULL THEN $2 ELSE $1 || ',' || $2 END $$;
CREATE FUNCTION concat_final(text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT '[' || $1 || ']' $$;
CREATE AGGREGATE tag_list(text) (SFUNC = concat_step, STYPE = text, FINALFUNC = concat_final);
CREATE TABLE tagging (post integer NOT NULL, tag text NOT NULL);
CREATE VIEW post_tags AS SELECT post, tag_list(tag) AS tags FROM tagging GROUP BY post;
