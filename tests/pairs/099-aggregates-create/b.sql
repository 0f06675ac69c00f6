CREATE TABLE keep (id integer PRIMARY KEY);
CREATE FUNCTION _group_concat(text, text) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END $$;
CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text);
COMMENT ON AGGREGATE group_concat(text) IS 'comma separated';
CREATE FUNCTION sum_sq_step(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT $1 + $2 * $2 $$;
CREATE FUNCTION sum_sq_final(numeric) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT 'total ' || $1 $$;
CREATE FUNCTION sum_sq_combine(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT $1 + $2 $$;
CREATE AGGREGATE "Sum of squares"(numeric) (SFUNC = sum_sq_step, STYPE = numeric,
    FINALFUNC = sum_sq_final, INITCOND = '0', COMBINEFUNC = sum_sq_combine, PARALLEL = SAFE);
CREATE TABLE t (id integer PRIMARY KEY, name text, v numeric);
CREATE VIEW names AS SELECT group_concat(name) AS all_names, "Sum of squares"(v) AS sq FROM t;
