CREATE TABLE sales (
    id bigint PRIMARY KEY,
    region text NOT NULL,
    amount numeric(12,2) NOT NULL,
    sold_on date NOT NULL
);

CREATE MATERIALIZED VIEW sales_by_region AS
    SELECT region, sum(amount) AS total, count(*) AS n
    FROM sales GROUP BY region;
CREATE UNIQUE INDEX sales_by_region_region_key ON sales_by_region (region);
CREATE INDEX sales_by_region_total_idx ON sales_by_region (total DESC);
COMMENT ON MATERIALIZED VIEW sales_by_region IS 'refreshed nightly';

CREATE MATERIALIZED VIEW sales_empty WITH (fillfactor = 90) AS
    SELECT id, amount FROM sales WHERE amount > 1000
    WITH NO DATA;
