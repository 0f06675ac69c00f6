CREATE TABLE audit (
    id bigint PRIMARY KEY,
    payload jsonb
);

CREATE TABLE ledger (
    id bigint PRIMARY KEY,
    amount numeric
);
ALTER TABLE ledger REPLICA IDENTITY FULL;

CREATE TABLE no_key (
    a integer,
    b text
);
