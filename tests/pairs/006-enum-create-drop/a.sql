CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');

CREATE SCHEMA app;

CREATE TABLE tickets (
    id integer PRIMARY KEY,
    title text NOT NULL
);
