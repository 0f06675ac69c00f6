CREATE DOMAIN percent AS numeric(5,2) CONSTRAINT percent_range CHECK (VALUE BETWEEN 0 AND 100);
CREATE DOMAIN discount AS percent DEFAULT 0 NOT NULL CONSTRAINT discount_cap CHECK (VALUE <= 50);
CREATE DOMAIN label AS varchar(20);
CREATE DOMAIN sku AS text CONSTRAINT sku_upper CHECK (VALUE = upper(VALUE));
CREATE TABLE promo (id integer PRIMARY KEY, off discount, labels label[]);
CREATE TABLE item (id integer PRIMARY KEY, code sku NOT NULL);
CREATE FUNCTION apply_discount(p numeric, d discount) RETURNS numeric LANGUAGE sql IMMUTABLE
    AS $$ SELECT p * (100 - d) / 100 $$;
