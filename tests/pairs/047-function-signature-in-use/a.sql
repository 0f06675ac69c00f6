CREATE FUNCTION valid_sku(s text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT length(s) = 8 $$;

CREATE FUNCTION default_qty() RETURNS integer
    LANGUAGE sql IMMUTABLE AS 'SELECT 1';

CREATE TABLE stock (
    sku text PRIMARY KEY,
    qty integer NOT NULL DEFAULT default_qty(),
    CONSTRAINT stock_sku_check CHECK (valid_sku(sku))
);
CREATE INDEX stock_valid_idx ON stock (sku) WHERE valid_sku(sku);
