CREATE SEQUENCE items_code_seq;
CREATE SEQUENCE orphan_seq;

CREATE TABLE items (
    id integer PRIMARY KEY,
    code bigint DEFAULT nextval('items_code_seq')
);

ALTER SEQUENCE orphan_seq OWNED BY items.id;
