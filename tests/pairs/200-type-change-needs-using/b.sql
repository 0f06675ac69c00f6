CREATE TABLE t (
    id integer PRIMARY KEY,
    n integer DEFAULT 0,
    u uuid,
    a integer[],
    f boolean,
    g integer,
    at timestamp with time zone,
    s text,
    v character varying(20)
);
