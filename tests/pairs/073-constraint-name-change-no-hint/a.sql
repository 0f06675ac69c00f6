CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text NOT NULL,
    price numeric(10,2),
    CONSTRAINT chk_price CHECK (price >= 0),
    CONSTRAINT uq_sku UNIQUE (sku)
);
