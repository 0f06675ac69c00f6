CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    name text NOT NULL
);
