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
GRANT USAGE ON SCHEMA shop TO zn_reader, "zn ""odd"" writer";
CREATE DOMAIN shop.price AS numeric(12,2) CONSTRAINT price_nonnegative CHECK (VALUE >= 0);
CREATE TYPE shop.address AS (street text, city text, postcode varchar(10));
CREATE TABLE shop.customer (
    id integer PRIMARY KEY,
    name text NOT NULL,
    street text,
    city text,
    billing shop.address,
    shipping shop.address
);
CREATE TABLE shop.product (
    id integer PRIMARY KEY,
    name text NOT NULL,
    price shop.price NOT NULL
);
CREATE TABLE shop.orders (
    id integer PRIMARY KEY,
    customer_id integer NOT NULL REFERENCES shop.customer (id),
    placed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE shop.order_line (
    id integer NOT NULL,
    order_id integer NOT NULL REFERENCES shop.orders (id) ON DELETE CASCADE,
    line_no integer NOT NULL,
    product_id integer NOT NULL REFERENCES shop.product (id),
    qty integer NOT NULL DEFAULT 1,
    price shop.price NOT NULL,
    CONSTRAINT order_line_pkey PRIMARY KEY (order_id, line_no)
);
CREATE TABLE shop.line_note (
    order_id integer NOT NULL,
    line_no integer NOT NULL,
    note text NOT NULL,
    FOREIGN KEY (order_id, line_no) REFERENCES shop.order_line (order_id, line_no)
);
CREATE VIEW shop.order_totals AS
    SELECT order_id, sum(qty * price) AS total FROM shop.order_line GROUP BY order_id;
GRANT SELECT ON shop.order_totals TO zn_reader;
GRANT SELECT ON shop.product TO PUBLIC;
GRANT SELECT, INSERT ON shop.orders, shop.order_line TO "zn ""odd"" writer";
GRANT UPDATE (qty) ON shop.order_line TO "zn ""odd"" writer";
CREATE FUNCTION shop.max_price_step(shop.price, shop.price) RETURNS shop.price
    LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT greatest($1, $2) $$;
CREATE AGGREGATE shop.max_price(shop.price) (SFUNC = shop.max_price_step, STYPE = shop.price);
CREATE MATERIALIZED VIEW shop.daily_sales AS
    SELECT o.placed_at::date AS day, count(DISTINCT o.id) AS orders,
        shop.max_price(l.price) AS top_price
    FROM shop.orders o JOIN shop.order_line l ON l.order_id = o.id
    GROUP BY 1
    WITH NO DATA;
CREATE UNIQUE INDEX daily_sales_day_key ON shop.daily_sales (day);
GRANT SELECT ON shop.daily_sales TO zn_reader;
CREATE PROCEDURE shop.cancel_order(o integer) LANGUAGE sql
    AS $$ DELETE FROM shop.orders WHERE id = o $$;
REVOKE EXECUTE ON PROCEDURE shop.cancel_order(integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE shop.cancel_order(integer) TO "zn ""odd"" writer";
