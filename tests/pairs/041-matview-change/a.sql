CREATE TABLE visits (
    id bigint PRIMARY KEY,
    page text NOT NULL,
    visitor text,
    at timestamptz NOT NULL DEFAULT now()
);

CREATE MATERIALIZED VIEW page_counts AS
    SELECT page, count(*) AS n FROM visits GROUP BY page;
CREATE UNIQUE INDEX page_counts_page_key ON page_counts (page);

CREATE VIEW popular_pages AS
    SELECT page FROM page_counts WHERE n > 100;
