CREATE FUNCTION num_cmp(integer, bigint) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint48cmp($1, $2)';
CREATE FUNCTION num_cmp_old(bigint, integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint84cmp($1, $2)';
CREATE FUNCTION num_lt(integer, bigint) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT $1 < $2';
CREATE FUNCTION num_gone(integer, smallint) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint42cmp($1, $2)';
CREATE OPERATOR <# (FUNCTION = num_lt, LEFTARG = integer, RIGHTARG = bigint);
CREATE OPERATOR FAMILY num_ops USING btree;
COMMENT ON OPERATOR FAMILY num_ops USING btree IS 'old';
CREATE OPERATOR CLASS int_num_ops FOR TYPE integer USING btree FAMILY num_ops AS
    OPERATOR 1 <, OPERATOR 3 =, FUNCTION 1 btint4cmp(integer, integer);
ALTER OPERATOR FAMILY num_ops USING btree ADD
    FUNCTION 1 (bigint, integer) num_cmp_old(bigint, integer),
    FUNCTION 1 (integer, smallint) num_gone(integer, smallint);
CREATE TABLE counter (id integer PRIMARY KEY, small integer);
CREATE INDEX counter_small ON counter (small int_num_ops);
