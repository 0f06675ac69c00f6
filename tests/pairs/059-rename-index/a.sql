CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text NOT NULL,
    name text,
    price numeric(10,2)
);
CREATE UNIQUE INDEX idx_products_sku ON products (sku);
CREATE INDEX idx_old_name ON products (lower(name)) WHERE price IS NOT NULL;
COMMENT ON INDEX idx_old_name IS 'search by name';
CREATE INDEX products_price_idx ON products (price DESC NULLS LAST);
