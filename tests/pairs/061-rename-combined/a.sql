CREATE SCHEMA shop;
CREATE TYPE shop.state AS ENUM ('new', 'done');

CREATE TABLE shop.purchases (
    id bigint CONSTRAINT purchases_pkey PRIMARY KEY,
    buyer text NOT NULL,
    amt numeric(10,2) NOT NULL DEFAULT 0,
    state shop.state NOT NULL DEFAULT 'new'
);
CREATE INDEX purchases_buyer_idx ON shop.purchases (buyer);
