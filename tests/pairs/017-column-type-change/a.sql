CREATE TABLE metrics (
    id integer PRIMARY KEY,
    hits integer NOT NULL DEFAULT 0,
    code varchar(10),
    label text,
    ratio numeric(8,2),
    small smallint
);
CREATE INDEX metrics_code_idx ON metrics (code);

CREATE TABLE metric_tags (
    metric_id integer NOT NULL REFERENCES metrics (id),
    tag text NOT NULL
);
