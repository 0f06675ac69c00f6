CREATE TABLE orders (
    id integer PRIMARY KEY,
    qty integer NOT NULL,
    price numeric(10,2) NOT NULL,
    discount numeric(10,2),
    CONSTRAINT orders_qty_check CHECK (qty > 0 AND qty < 1000),
    CONSTRAINT orders_price_check CHECK (price >= 0),
    CONSTRAINT orders_discount_le_price CHECK (discount IS NULL OR discount <= price)
);
