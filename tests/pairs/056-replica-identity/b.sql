CREATE TABLE audit (
    id bigint PRIMARY KEY,
    payload jsonb
);
ALTER TABLE audit REPLICA IDENTITY FULL;

CREATE TABLE ledger (
    id bigint PRIMARY KEY,
    amount numeric
);

CREATE TABLE no_key (
    a integer,
    b text
);
ALTER TABLE no_key REPLICA IDENTITY FULL;
