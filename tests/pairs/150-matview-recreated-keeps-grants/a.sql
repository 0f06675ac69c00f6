DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE TABLE visit (id bigint PRIMARY KEY, page text NOT NULL, visitor text);
CREATE MATERIALIZED VIEW page_counts AS
    SELECT page, count(*) AS n FROM visit GROUP BY page;
CREATE UNIQUE INDEX page_counts_page_key ON page_counts (page);
GRANT SELECT ON page_counts TO zn_reader WITH GRANT OPTION;
GRANT SELECT (page) ON page_counts TO PUBLIC;
CREATE VIEW popular AS SELECT page FROM page_counts WHERE n > 100;
GRANT SELECT ON popular TO "zn ""odd"" writer";
