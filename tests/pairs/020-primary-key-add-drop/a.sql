CREATE TABLE tags (
    name text NOT NULL,
    slug text
);

CREATE TABLE sessions (
    id uuid PRIMARY KEY,
    token text
);
