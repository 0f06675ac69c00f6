CREATE TABLE tags (
    name text NOT NULL,
    slug text,
    PRIMARY KEY (name)
);

CREATE TABLE sessions (
    id uuid NOT NULL,
    token text
);
