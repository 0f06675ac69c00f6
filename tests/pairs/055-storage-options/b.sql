CREATE TABLE hot (
    id integer PRIMARY KEY,
    n integer
) WITH (fillfactor = 50);

CREATE TABLE plain (
    id integer PRIMARY KEY
) WITH (fillfactor = 80);

CREATE TABLE tuned (
    id integer PRIMARY KEY
);

CREATE TABLE tidy (
    id integer,
    v text
) WITH (toast_tuple_target = 4096, autovacuum_vacuum_scale_factor = 0.05);
CREATE INDEX tidy_id_idx ON tidy (id) WITH (fillfactor = 90);
