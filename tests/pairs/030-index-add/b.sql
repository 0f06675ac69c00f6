CREATE TABLE events (
    id bigint PRIMARY KEY,
    kind text NOT NULL,
    user_id bigint,
    occurred_at timestamptz NOT NULL,
    email text,
    deleted_at timestamptz
);
CREATE INDEX events_kind_idx ON events (kind);
CREATE INDEX events_lower_email_idx ON events (lower(email));
CREATE INDEX events_live_idx ON events (user_id) WHERE deleted_at IS NULL;
CREATE INDEX events_recent_idx ON events (occurred_at DESC NULLS FIRST);
CREATE INDEX events_user_incl_idx ON events (user_id) INCLUDE (kind, occurred_at);
CREATE UNIQUE INDEX events_email_uidx ON events (email) WHERE deleted_at IS NULL;
CREATE INDEX events_kind_time_idx ON events (kind text_pattern_ops, occurred_at) WITH (fillfactor = 70);
CREATE UNIQUE INDEX events_user_kind_uidx ON events (user_id, kind) NULLS NOT DISTINCT;
