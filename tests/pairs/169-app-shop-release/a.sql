DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE SCHEMA shop;
GRANT USAGE ON SCHEMA shop TO zn_reader;
CREATE TABLE shop.customer (
    id integer PRIMARY KEY,
    name text NOT NULL,
    street text,
    city text
);
CREATE TABLE shop.product (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price numeric(10,2) NOT NULL
);
CREATE TABLE shop.orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES shop.customer (id),
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE shop.order_line (
    id integer PRIMARY KEY,
    order_id integer NOT NULL REFERENCES shop.orders (id) ON DELETE CASCADE,
    line_no integer NOT NULL,
    product_id integer NOT NULL REFERENCES shop.product (id),
    qty integer NOT NULL DEFAULT 1,
    price numeric(10,2) NOT NULL,
    CONSTRAINT order_line_order_id_line_no_key UNIQUE (order_id, line_no)
);
CREATE TABLE shop.line_note (
    order_id integer NOT NULL,
    line_no integer NOT NULL,
    note text NOT NULL,
    FOREIGN KEY (order_id, line_no) REFERENCES shop.order_line (order_id, line_no)
);
CREATE TABLE shop.wishlist (customer_id integer NOT NULL, product_id integer NOT NULL);
GRANT SELECT, INSERT, DELETE ON shop.wishlist TO "zn ""odd"" writer";
CREATE VIEW shop.order_totals AS
    SELECT order_id, sum(qty * price) AS total FROM shop.order_line GROUP BY order_id;
GRANT SELECT ON shop.order_totals TO zn_reader;
GRANT SELECT ON shop.product TO PUBLIC;
GRANT SELECT, INSERT ON shop.orders, shop.order_line TO "zn ""odd"" writer";
