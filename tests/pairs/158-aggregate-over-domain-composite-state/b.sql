CREATE TABLE keep (id integer PRIMARY KEY);
CREATE DOMAIN rating AS smallint CONSTRAINT rating_range CHECK (VALUE BETWEEN 1 AND 5);
CREATE TYPE rating_acc AS (n bigint, total bigint);
CREATE FUNCTION rating_step(s rating_acc, r rating) RETURNS rating_acc
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT ROW((s).n + 1, (s).total + r)::rating_acc $$;
CREATE FUNCTION rating_final(s rating_acc) RETURNS numeric
    LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN (s).n = 0 THEN NULL ELSE round((s).total::numeric / (s).n, 2) END $$;
CREATE AGGREGATE avg_rating(rating) (SFUNC = rating_step, STYPE = rating_acc,
    FINALFUNC = rating_final, INITCOND = '(0,0)');
COMMENT ON AGGREGATE avg_rating(rating) IS 'mean of ratings';
CREATE TABLE review (id integer PRIMARY KEY, item integer NOT NULL, stars rating NOT NULL);
CREATE VIEW item_rating AS SELECT item, avg_rating(stars) AS score FROM review GROUP BY item;
