CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE ledger (
    id bigint PRIMARY KEY,
    amount numeric(12,2) NOT NULL
);
