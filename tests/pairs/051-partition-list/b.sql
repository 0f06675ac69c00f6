CREATE TABLE orders (
    id bigint NOT NULL,
    region text NOT NULL,
    total numeric(12,2),
    PRIMARY KEY (id, region)
) PARTITION BY LIST (region);
CREATE INDEX orders_total_idx ON orders (total);

CREATE TABLE orders_eu PARTITION OF orders FOR VALUES IN ('de', 'fr');
CREATE TABLE orders_apac PARTITION OF orders FOR VALUES IN ('jp', 'au', 'nz');

CREATE TABLE readings (
    sensor integer NOT NULL,
    taken_at timestamptz NOT NULL,
    value double precision
) PARTITION BY RANGE (taken_at);
CREATE TABLE readings_2025 PARTITION OF readings
    FOR VALUES FROM ('2025-01-01 00:00:00+00') TO ('2026-01-01 00:00:00+00');
