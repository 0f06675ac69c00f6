CREATE TABLE person (id integer PRIMARY KEY, name text NOT NULL);
