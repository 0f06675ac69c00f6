CREATE DOMAIN sku AS text CONSTRAINT sku_upper CHECK (VALUE = upper(VALUE));
CREATE TABLE item (id integer PRIMARY KEY, code sku NOT NULL);
