CREATE TABLE keep (id integer PRIMARY KEY);
CREATE FUNCTION rev_cmp(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint4cmp($2, $1)';
CREATE OPERATOR CLASS rev_int_ops FOR TYPE integer USING btree AS
    OPERATOR 1 >, OPERATOR 3 =, OPERATOR 5 <, FUNCTION 1 rev_cmp(integer, integer);
CREATE TABLE score (id integer PRIMARY KEY, points integer,
    EXCLUDE USING btree (points rev_int_ops WITH =));
CREATE INDEX score_points_desc ON score (points rev_int_ops);
