CREATE TABLE vehicles (
    id integer NOT NULL,
    make text NOT NULL CHECK (make <> '')
);

CREATE TABLE cars (
    doors integer
) INHERITS (vehicles);

CREATE TABLE trucks (
    payload integer NOT NULL DEFAULT 0
) INHERITS (vehicles);

CREATE TABLE labels (
    label text
);

CREATE TABLE tagged_cars (
    note text
) INHERITS (cars, labels);
