CREATE TABLE products (
    id integer PRIMARY KEY,
    legacy_code varchar(20),
    name text NOT NULL,
    obsolete boolean DEFAULT false CHECK (obsolete IS NOT NULL),
    price numeric(10,2),
    notes text
);
CREATE INDEX products_legacy_code_idx ON products (legacy_code);
COMMENT ON COLUMN products.notes IS 'free text';
