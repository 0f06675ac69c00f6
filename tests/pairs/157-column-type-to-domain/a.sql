CREATE TABLE product (
    id integer PRIMARY KEY,
    sku text NOT NULL,
    stock integer NOT NULL DEFAULT 0,
    tags text[]
);
CREATE FUNCTION restock(s text, n integer) RETURNS void LANGUAGE sql
    AS $$ UPDATE product SET stock = stock + n WHERE sku = s $$;
