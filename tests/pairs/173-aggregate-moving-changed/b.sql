CREATE TABLE keep (id integer PRIMARY KEY);
CREATE TYPE weighted AS (v numeric, w numeric);
CREATE FUNCTION wsum_step(numeric[], weighted) RETURNS numeric[] LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT ARRAY[$1[1] + ($2).v * ($2).w, $1[2] + ($2).w] $$;
CREATE FUNCTION wsum_inv(numeric[], weighted) RETURNS numeric[] LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT ARRAY[$1[1] - ($2).v * ($2).w, $1[2] - ($2).w] $$;
CREATE FUNCTION wsum_final(numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE
    AS $$ SELECT CASE WHEN $1[2] = 0 THEN NULL ELSE $1[1] / $1[2] END $$;
CREATE AGGREGATE weighted_avg(weighted) (
    SFUNC = wsum_step, STYPE = numeric[], FINALFUNC = wsum_final, INITCOND = '{0,0}',
    MSFUNC = wsum_step, MINVFUNC = wsum_inv, MSTYPE = numeric[], MFINALFUNC = wsum_final,
    MINITCOND = '{0,0}', PARALLEL = SAFE);
CREATE FUNCTION cnt_step(bigint, anyelement) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS $$ SELECT $1 + 1 $$;
CREATE FUNCTION cnt_final(bigint, anyelement) RETURNS bigint LANGUAGE sql IMMUTABLE
    AS $$ SELECT $1 $$;
CREATE AGGREGATE rows_seen(anyelement) (SFUNC = cnt_step, STYPE = bigint,
    FINALFUNC = cnt_final, FINALFUNC_EXTRA, INITCOND = '1');
CREATE TABLE score (id integer PRIMARY KEY, v numeric NOT NULL, w numeric NOT NULL DEFAULT 1);
CREATE VIEW running AS
    SELECT id, weighted_avg(ROW(v, w)::weighted) OVER (ORDER BY id ROWS 2 PRECEDING) AS avg3,
        rows_seen(v) OVER () AS n
    FROM score;
