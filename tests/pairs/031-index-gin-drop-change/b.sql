CREATE TABLE docs (
    id integer PRIMARY KEY,
    title text NOT NULL,
    body text,
    tags text[],
    meta jsonb
);
CREATE INDEX docs_title_idx ON docs (title, id);
CREATE INDEX docs_meta_idx ON docs USING gin (meta jsonb_path_ops);
CREATE INDEX docs_tags_idx ON docs USING gin (tags);
CREATE INDEX docs_id_hash_idx ON docs USING hash (id);
