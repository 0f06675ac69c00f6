CREATE TABLE customers (
    id bigint PRIMARY KEY,
    email text NOT NULL UNIQUE
);

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint NOT NULL,
    customer_email text
);

CREATE TABLE order_lines (
    order_id bigint NOT NULL,
    line_no integer NOT NULL,
    PRIMARY KEY (order_id, line_no)
);

CREATE TABLE shipments (
    id bigint PRIMARY KEY,
    order_id bigint NOT NULL,
    line_no integer NOT NULL
);

ALTER TABLE orders ADD CONSTRAINT orders_customer_id_fkey
    FOREIGN KEY (customer_id) REFERENCES customers (id);
ALTER TABLE orders ADD CONSTRAINT orders_customer_email_fkey
    FOREIGN KEY (customer_email) REFERENCES customers (email) ON UPDATE CASCADE;
ALTER TABLE order_lines ADD CONSTRAINT order_lines_order_id_fkey
    FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE;
ALTER TABLE shipments ADD CONSTRAINT shipments_line_fkey
    FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no) MATCH FULL;
