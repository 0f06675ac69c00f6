CREATE TYPE address AS (street text, city text, postcode varchar(10));
CREATE TABLE customer (id integer PRIMARY KEY, home address, work address);
CREATE FUNCTION city_of(a address) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT (a).city $$;
