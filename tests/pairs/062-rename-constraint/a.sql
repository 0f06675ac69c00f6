CREATE TABLE categories (
    id integer CONSTRAINT pk_categories PRIMARY KEY
);

CREATE TABLE products (
    id integer CONSTRAINT pk_products PRIMARY KEY,
    sku text NOT NULL,
    price numeric(10,2),
    category_id integer,
    CONSTRAINT chk_price CHECK (price >= 0),
    CONSTRAINT uq_sku UNIQUE (sku),
    CONSTRAINT fk_category FOREIGN KEY (category_id) REFERENCES categories (id)
);
COMMENT ON CONSTRAINT chk_price ON products IS 'no negative prices';
