CREATE TYPE order_status AS ENUM ('new', 'paid');

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    status order_status NOT NULL DEFAULT 'new',
    history order_status[] NOT NULL DEFAULT '{}'
);
