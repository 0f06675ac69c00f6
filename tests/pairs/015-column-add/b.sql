CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    nickname text,
    active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    tags text[]
);

CREATE TABLE ledger (
    id bigint PRIMARY KEY,
    amount numeric(12,2) NOT NULL,
    entry_kind text NOT NULL
);
