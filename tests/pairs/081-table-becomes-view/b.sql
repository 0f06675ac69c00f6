CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE VIEW person AS SELECT id, name FROM people WHERE active;
