CREATE TABLE people (id integer PRIMARY KEY, name text NOT NULL, active boolean NOT NULL DEFAULT true);
CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL);
