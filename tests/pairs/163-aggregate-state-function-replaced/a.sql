CREATE FUNCTION max_len_step(integer, text) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$ SELECT greatest($1, length($2)) $$;
CREATE AGGREGATE max_len(text) (SFUNC = max_len_step, STYPE = integer, INITCOND = '0');
CREATE FUNCTION prod_step(bigint, integer) RETURNS bigint LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT $1 * $2 $$;
CREATE AGGREGATE product(integer) (SFUNC = prod_step, STYPE = bigint, INITCOND = '1');
