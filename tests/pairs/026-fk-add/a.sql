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
