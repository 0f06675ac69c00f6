CREATE TABLE orders (
    id integer PRIMARY KEY,
    qty integer NOT NULL,
    price numeric(10,2) NOT NULL,
    discount numeric(10,2),
    CONSTRAINT orders_qty_check CHECK (qty > 0),
    CONSTRAINT orders_discount_check CHECK (discount >= 0)
);
