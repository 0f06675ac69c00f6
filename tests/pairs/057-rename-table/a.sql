CREATE TABLE customers (
    id bigint CONSTRAINT customers_pkey PRIMARY KEY,
    name text NOT NULL
);
COMMENT ON TABLE customers IS 'people who buy';
CREATE INDEX customers_name_idx ON customers (name);

CREATE TABLE orders (
    id bigint PRIMARY KEY,
    customer_id bigint REFERENCES customers (id)
);

CREATE VIEW customer_names AS SELECT id, name FROM customers;

CREATE SCHEMA crm;
CREATE TABLE crm.leads (
    id integer CONSTRAINT leads_pkey PRIMARY KEY,
    source text
);
