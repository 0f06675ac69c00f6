CREATE TABLE keep (id integer PRIMARY KEY);
CREATE OPERATOR CLASS my_box_ops FOR TYPE box USING gist AS
    OPERATOR 3 &&, OPERATOR 6 ~=, OPERATOR 7 @>, OPERATOR 8 <@,
    OPERATOR 15 <->(box, point) FOR ORDER BY float_ops,
    FUNCTION 1 gist_box_consistent(internal, box, smallint, oid, internal),
    FUNCTION 2 gist_box_union(internal, internal),
    FUNCTION 5 gist_box_penalty(internal, internal, internal),
    FUNCTION 6 gist_box_picksplit(internal, internal),
    FUNCTION 7 gist_box_same(box, box, internal),
    FUNCTION 8 gist_box_distance(internal, box, smallint, oid, internal);
CREATE TABLE parcel (id integer PRIMARY KEY, area box NOT NULL,
    CONSTRAINT parcel_no_overlap EXCLUDE USING gist (area my_box_ops WITH &&));
CREATE FUNCTION rev_cmp(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint4cmp($2, $1)';
CREATE OPERATOR CLASS rev_int_ops FOR TYPE integer USING btree AS
    OPERATOR 1 >, OPERATOR 3 =, OPERATOR 5 <, FUNCTION 1 rev_cmp(integer, integer);
CREATE TYPE downrange AS RANGE (subtype = integer, subtype_opclass = rev_int_ops);
CREATE TABLE countdown (id integer, span downrange);
CREATE TABLE ledger (n integer NOT NULL, note text) PARTITION BY RANGE (n rev_int_ops);
CREATE TABLE ledger_top PARTITION OF ledger FOR VALUES FROM (1000) TO (0);
