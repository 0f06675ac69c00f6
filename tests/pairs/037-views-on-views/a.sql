CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer text NOT NULL,
    total numeric(12,2) NOT NULL,
    status text NOT NULL
);

CREATE VIEW open_orders AS
    SELECT id, customer, total FROM orders WHERE status = 'open';
