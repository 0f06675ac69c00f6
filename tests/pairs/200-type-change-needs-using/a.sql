CREATE TABLE t (
    id integer PRIMARY KEY,
    n text DEFAULT '0',
    u character varying(36),
    a text[],
    f integer,
    g boolean,
    at character varying(40),
    s integer,
    v text
);
