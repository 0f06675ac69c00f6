CREATE TABLE measurements (
    id bigint NOT NULL,
    at date NOT NULL,
    value numeric,
    PRIMARY KEY (id, at)
) PARTITION BY RANGE (at);
CREATE INDEX measurements_at_idx ON measurements (at);

CREATE TABLE measurements_2024 PARTITION OF measurements
    FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
CREATE TABLE measurements_2025 PARTITION OF measurements
    FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
CREATE TABLE measurements_2026 PARTITION OF measurements
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE measurements_default PARTITION OF measurements DEFAULT;
