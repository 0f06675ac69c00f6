CREATE TABLE events (
    tenant integer NOT NULL,
    at date NOT NULL,
    kind text NOT NULL,
    payload jsonb
) PARTITION BY LIST (tenant);

CREATE TABLE events_t1 PARTITION OF events FOR VALUES IN (1);
CREATE TABLE events_t2 PARTITION OF events FOR VALUES IN (2)
    PARTITION BY RANGE (at);
CREATE TABLE events_t2_2025 PARTITION OF events_t2
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE events_other PARTITION OF events DEFAULT;
