CREATE TABLE vehicles (
    id integer NOT NULL,
    make text NOT NULL CHECK (make <> '')
);

CREATE TABLE cars (
    doors integer
) INHERITS (vehicles);

CREATE TABLE boats (
    length numeric
) INHERITS (vehicles);
