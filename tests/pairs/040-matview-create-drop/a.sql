CREATE TABLE sales (
    id bigint PRIMARY KEY,
    region text NOT NULL,
    amount numeric(12,2) NOT NULL,
    sold_on date NOT NULL
);

CREATE MATERIALIZED VIEW sales_by_month AS
    SELECT date_trunc('month', sold_on) AS month, sum(amount) AS total
    FROM sales GROUP BY 1;
CREATE INDEX sales_by_month_idx ON sales_by_month (month);
