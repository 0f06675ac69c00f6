CREATE TABLE hit (id bigint PRIMARY KEY, url text, ua text, ref text, lang text);
ALTER TABLE hit ALTER COLUMN url SET STATISTICS 1000;
ALTER TABLE hit ALTER COLUMN ref SET (n_distinct = -0.25);
ALTER TABLE hit ALTER COLUMN lang SET STATISTICS 10;
ALTER TABLE hit ALTER COLUMN lang SET (n_distinct = 40);
CREATE TABLE visit (id bigint, country text);
ALTER TABLE visit ALTER COLUMN country SET STATISTICS 2000;
ALTER TABLE visit ALTER COLUMN country SET (n_distinct = 250);
