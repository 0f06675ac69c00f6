CREATE TABLE counter (id integer PRIMARY KEY, small integer, big bigint);
CREATE FUNCTION num_cmp(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint4cmp($1, $2)';
CREATE FUNCTION num_cmp(bigint, bigint) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint8cmp($1, $2)';
CREATE FUNCTION num_cmp(integer, bigint) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint48cmp($1, $2)';
CREATE FUNCTION num_cmp(bigint, integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint84cmp($1, $2)';
CREATE FUNCTION num_lt(integer, integer) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT $1 < $2';
CREATE FUNCTION num_lt(bigint, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT $1 < $2';
CREATE FUNCTION num_lt(integer, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT $1 < $2';
CREATE FUNCTION num_lt(bigint, integer) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT $1 < $2';
CREATE OPERATOR <# (FUNCTION = num_lt, LEFTARG = integer, RIGHTARG = integer);
CREATE OPERATOR <# (FUNCTION = num_lt, LEFTARG = bigint, RIGHTARG = bigint);
CREATE OPERATOR <# (FUNCTION = num_lt, LEFTARG = integer, RIGHTARG = bigint);
CREATE OPERATOR <# (FUNCTION = num_lt, LEFTARG = bigint, RIGHTARG = integer);
CREATE OPERATOR FAMILY num_ops USING btree;
CREATE OPERATOR CLASS int_num_ops FOR TYPE integer USING btree FAMILY num_ops AS
    OPERATOR 1 <# (integer, integer), OPERATOR 3 =, FUNCTION 1 num_cmp(integer, integer);
CREATE OPERATOR CLASS big_num_ops FOR TYPE bigint USING btree FAMILY num_ops AS
    OPERATOR 1 <# (bigint, bigint), OPERATOR 3 =, FUNCTION 1 num_cmp(bigint, bigint);
-- Members of the same number in the order zn-diff adds them (their types
-- by name), which is the order pg_dump then lists them in.
ALTER OPERATOR FAMILY num_ops USING btree ADD
    OPERATOR 1 <# (bigint, integer), OPERATOR 1 <# (integer, bigint),
    FUNCTION 1 (bigint, integer) num_cmp(bigint, integer),
    FUNCTION 1 (integer, bigint) num_cmp(integer, bigint);
CREATE INDEX counter_small ON counter (small int_num_ops);
CREATE INDEX counter_big ON counter (big big_num_ops);
