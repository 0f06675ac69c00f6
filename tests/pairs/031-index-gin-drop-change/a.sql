CREATE TABLE docs (
    id integer PRIMARY KEY,
    title text NOT NULL,
    body text,
    tags text[],
    meta jsonb
);
CREATE INDEX docs_title_idx ON docs (title);
CREATE INDEX docs_body_idx ON docs (body);
CREATE INDEX docs_meta_idx ON docs USING gin (meta);
