CREATE TABLE events (
    tenant integer NOT NULL,
    at date NOT NULL,
    kind text NOT NULL,
    payload jsonb
) PARTITION BY LIST (tenant);

CREATE TABLE events_t1 PARTITION OF events FOR VALUES IN (1);
