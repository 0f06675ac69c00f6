CREATE FUNCTION max_len_step_octets(integer, text) RETURNS integer LANGUAGE sql IMMUTABLE
    AS $$ SELECT greatest($1, octet_length($2)) $$;
CREATE AGGREGATE max_len(text) (SFUNC = max_len_step_octets, STYPE = integer);
CREATE FUNCTION prod_step(numeric, numeric) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT $1 * $2 $$;
CREATE AGGREGATE product(numeric) (SFUNC = prod_step, STYPE = numeric, INITCOND = '1');
