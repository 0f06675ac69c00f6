CREATE DOMAIN sku AS text CONSTRAINT sku_format CHECK (VALUE ~ '^[A-Z]{3}-[0-9]+$');
CREATE DOMAIN quantity AS integer CONSTRAINT quantity_nonnegative CHECK (VALUE >= 0);
CREATE DOMAIN small_quantity AS quantity CONSTRAINT small CHECK (VALUE < 10000);
CREATE DOMAIN tag AS varchar(32) CONSTRAINT tag_lower CHECK (VALUE = lower(VALUE));
CREATE TABLE product (
    id integer PRIMARY KEY,
    sku sku NOT NULL,
    stock small_quantity NOT NULL DEFAULT 0,
    tags tag[]
);
CREATE FUNCTION restock(s sku, n quantity) RETURNS void LANGUAGE sql
    AS $$ UPDATE product SET stock = stock + n WHERE sku = s $$;
