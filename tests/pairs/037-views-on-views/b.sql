CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer text NOT NULL,
    total numeric(12,2) NOT NULL,
    status text NOT NULL
);

CREATE VIEW open_orders AS
    SELECT id, customer, total FROM orders WHERE status = 'open';

CREATE VIEW big_open_orders WITH (security_barrier = true) AS
    SELECT id, customer FROM open_orders WHERE total > 100;

CREATE VIEW open_orders_checked AS
    SELECT id, customer, total FROM open_orders WHERE total >= 0
    WITH CASCADED CHECK OPTION;

CREATE VIEW small_orders AS
    SELECT id, total FROM orders WHERE total < 10
    WITH LOCAL CHECK OPTION;

CREATE VIEW top_customers AS
    SELECT customer, count(*) AS n FROM big_open_orders GROUP BY customer;
