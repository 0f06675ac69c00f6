CREATE SEQUENCE legacy_ids START 500;
CREATE SEQUENCE unused_seq;
COMMENT ON SEQUENCE unused_seq IS 'nobody uses this';

CREATE TABLE records (
    id integer PRIMARY KEY,
    legacy_id bigint DEFAULT nextval('legacy_ids'),
    label text
);
