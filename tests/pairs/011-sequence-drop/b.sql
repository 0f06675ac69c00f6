CREATE TABLE records (
    id integer PRIMARY KEY,
    legacy_id bigint,
    label text
);
