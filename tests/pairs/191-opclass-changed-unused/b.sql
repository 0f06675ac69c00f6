CREATE FUNCTION len_cmp2(text, text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT btint4cmp(octet_length($1), octet_length($2))';
CREATE FUNCTION len_lt(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT length($1) < length($2)';
CREATE OPERATOR <%% (FUNCTION = len_lt, LEFTARG = text, RIGHTARG = text);
CREATE OPERATOR CLASS by_length FOR TYPE text USING btree AS
    OPERATOR 1 <%%, OPERATOR 3 =, FUNCTION 1 len_cmp2(text, text);
COMMENT ON OPERATOR CLASS by_length USING btree IS 'fewest bytes first';
CREATE OPERATOR CLASS used_ops FOR TYPE integer USING btree AS
    OPERATOR 1 <, OPERATOR 3 =, FUNCTION 1 btint4cmp(integer, integer);
CREATE TABLE t (n integer);
CREATE INDEX t_n ON t (n used_ops);
