CREATE FUNCTION num_cmp(integer, bigint) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint48cmp($1, $2)';
CREATE FUNCTION num_cmp_new(bigint, integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint84cmp($1, $2)';
CREATE FUNCTION num_lt(integer, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT $1 < $2';
CREATE OPERATOR <# (FUNCTION = num_lt, LEFTARG = integer, RIGHTARG = bigint);
CREATE OPERATOR FAMILY num_ops USING btree;
COMMENT ON OPERATOR FAMILY num_ops USING btree IS 'new';
CREATE OPERATOR CLASS int_num_ops FOR TYPE integer USING btree FAMILY num_ops AS
    OPERATOR 1 <, OPERATOR 3 =, FUNCTION 1 btint4cmp(integer, integer);
COMMENT ON OPERATOR CLASS int_num_ops USING btree IS 'integers';
-- Members of the same number in the order zn-diff adds them (their types
-- by name), which is the order pg_dump then lists them in.
ALTER OPERATOR FAMILY num_ops USING btree ADD
    OPERATOR 1 <# (integer, bigint),
    FUNCTION 1 (bigint, integer) num_cmp_new(bigint, integer),
    FUNCTION 1 (integer, bigint) num_cmp(integer, bigint);
CREATE TABLE counter (id integer PRIMARY KEY, small integer);
CREATE INDEX counter_small ON counter (small int_num_ops);
