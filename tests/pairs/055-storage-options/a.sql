CREATE TABLE hot (
    id integer PRIMARY KEY,
    n integer
) WITH (fillfactor = 70);

CREATE TABLE plain (
    id integer PRIMARY KEY
);

CREATE TABLE tuned (
    id integer PRIMARY KEY
) WITH (fillfactor = 90, autovacuum_enabled = false);

CREATE TABLE tidy (
    id integer,
    v text
);
CREATE INDEX tidy_id_idx ON tidy (id) WITH (fillfactor = 50);
