CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    org_id bigint NOT NULL,
    handle text,
    sku text,
    tenant text,
    label text
);
