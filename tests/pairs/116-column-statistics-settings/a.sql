CREATE TABLE hit (id bigint PRIMARY KEY, url text, ua text, ref text);
ALTER TABLE hit ALTER COLUMN url SET STATISTICS 500;
ALTER TABLE hit ALTER COLUMN ua SET (n_distinct = 1000);
ALTER TABLE hit ALTER COLUMN ref SET STATISTICS 50;
ALTER TABLE hit ALTER COLUMN ref SET (n_distinct = -0.5, n_distinct_inherited = 10);
