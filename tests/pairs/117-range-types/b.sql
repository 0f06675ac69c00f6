CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE DOMAIN score AS numeric(6,2) CHECK (VALUE >= 0);
CREATE TYPE scorerange AS RANGE (subtype = score);
CREATE TYPE floatrange AS RANGE (subtype = float8, subtype_diff = float8mi);
CREATE TYPE textrange_c AS RANGE (subtype = text, collation = "C", subtype_opclass = text_pattern_ops);
COMMENT ON TYPE floatrange IS 'a span of doubles';
CREATE TABLE booking (
    id int PRIMARY KEY,
    room int NOT NULL,
    span floatrange NOT NULL,
    grade scorerange,
    names textrange_c,
    EXCLUDE USING gist (room WITH =, span WITH &&)
);
CREATE FUNCTION widest(floatrange[]) RETURNS floatrange LANGUAGE sql IMMUTABLE
    AS 'SELECT range_merge($1[1], $1[array_upper($1, 1)])';
