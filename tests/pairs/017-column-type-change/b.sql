CREATE TABLE metrics (
    id bigint PRIMARY KEY,
    hits bigint NOT NULL DEFAULT 0,
    code varchar(20),
    label varchar(200),
    ratio numeric(12,4),
    small integer
);
CREATE INDEX metrics_code_idx ON metrics (code);

CREATE TABLE metric_tags (
    metric_id integer NOT NULL REFERENCES metrics (id),
    tag text NOT NULL
);
