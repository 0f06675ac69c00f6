CREATE TABLE people (
    id integer PRIMARY KEY,
    email text,
    phone text NOT NULL,
    name text NOT NULL
);
