CREATE TABLE keep (id integer PRIMARY KEY);
CREATE TYPE unit AS ENUM ('g', 'kg');
CREATE DOMAIN positive AS numeric CHECK (VALUE > 0);
CREATE TYPE amount AS (qty positive, u unit);
COMMENT ON TYPE amount IS 'how much';
COMMENT ON COLUMN amount.u IS 'the unit';
CREATE TYPE "Line item" AS (
    sku text COLLATE "C",
    amounts amount[],
    note varchar(40)
);
CREATE TABLE orders (id integer PRIMARY KEY, total amount, lines "Line item"[]);
CREATE FUNCTION double(a amount) RETURNS amount LANGUAGE sql IMMUTABLE
    AS $$ SELECT ROW((a).qty * 2, (a).u)::amount $$;
CREATE FUNCTION lines_of(o orders) RETURNS SETOF "Line item" LANGUAGE sql
    AS $$ SELECT * FROM unnest(o.lines) $$;
CREATE VIEW totals AS SELECT id, (total).qty AS qty FROM orders;
