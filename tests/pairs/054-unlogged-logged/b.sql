CREATE TABLE cache_entries (
    k text PRIMARY KEY,
    v jsonb
);
CREATE INDEX cache_entries_v_idx ON cache_entries USING gin (v);

CREATE UNLOGGED TABLE scratch (
    id integer,
    note text
);
