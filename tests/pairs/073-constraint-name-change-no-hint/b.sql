CREATE TABLE products (
    id integer PRIMARY KEY,
    sku text NOT NULL,
    price numeric(10,2),
    CONSTRAINT products_price_check CHECK (price >= 0),
    CONSTRAINT products_sku_key UNIQUE (sku)
);
