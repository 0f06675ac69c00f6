CREATE TABLE keep (id integer PRIMARY KEY);
CREATE TYPE version AS (major int, minor int);
CREATE FUNCTION version_cmp(a version, b version) RETURNS int LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT CASE WHEN (a).major <> (b).major THEN sign((a).major - (b).major)::int
                      ELSE sign((a).minor - (b).minor)::int END $$;
CREATE FUNCTION version_lt(version, version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT version_cmp($1, $2) < 0';
CREATE FUNCTION version_le(version, version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT version_cmp($1, $2) <= 0';
CREATE FUNCTION version_eq(version, version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT version_cmp($1, $2) = 0';
CREATE FUNCTION version_ge(version, version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT version_cmp($1, $2) >= 0';
CREATE FUNCTION version_gt(version, version) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT version_cmp($1, $2) > 0';
CREATE OPERATOR <~ (FUNCTION = version_lt, LEFTARG = version, RIGHTARG = version);
CREATE OPERATOR <=~ (FUNCTION = version_le, LEFTARG = version, RIGHTARG = version);
CREATE OPERATOR =~ (FUNCTION = version_eq, LEFTARG = version, RIGHTARG = version);
CREATE OPERATOR >=~ (FUNCTION = version_ge, LEFTARG = version, RIGHTARG = version);
CREATE OPERATOR >~ (FUNCTION = version_gt, LEFTARG = version, RIGHTARG = version);
CREATE OPERATOR CLASS version_ops DEFAULT FOR TYPE version USING btree AS
    OPERATOR 1 <~, OPERATOR 2 <=~, OPERATOR 3 =~, OPERATOR 4 >=~, OPERATOR 5 >~,
    FUNCTION 1 version_cmp(version, version);
COMMENT ON OPERATOR CLASS version_ops USING btree IS 'major, then minor';
COMMENT ON OPERATOR FAMILY version_ops USING btree IS 'made with its class';
CREATE TABLE release (id integer PRIMARY KEY, v version NOT NULL);
CREATE INDEX release_v ON release (v);
CREATE DOMAIN sku AS text CHECK (VALUE ~ '^[A-Z]+-[0-9]+$');
CREATE FUNCTION sku_cmp(sku, sku) RETURNS int LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT btint4cmp(split_part($1, '-', 2)::int, split_part($2, '-', 2)::int) $$;
CREATE OPERATOR CLASS sku_number_ops FOR TYPE sku USING btree AS
    FUNCTION 1 sku_cmp(sku, sku);
CREATE TABLE item (id integer PRIMARY KEY, code sku NOT NULL);
CREATE INDEX item_code_number ON item (code sku_number_ops);
