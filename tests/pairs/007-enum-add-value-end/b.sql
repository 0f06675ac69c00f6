CREATE TYPE order_status AS ENUM ('new', 'paid', 'shipped', 'delivered');

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    status order_status NOT NULL DEFAULT 'new',
    history order_status[] NOT NULL DEFAULT '{}'
);
