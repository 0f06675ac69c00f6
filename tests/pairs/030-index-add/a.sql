CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text NOT NULL,
    user_id bigint,
    occurred_at timestamptz NOT NULL,
    email text,
    deleted_at timestamptz
);
