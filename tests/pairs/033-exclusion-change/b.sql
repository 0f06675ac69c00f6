CREATE EXTENSION btree_gist;

CREATE TABLE shifts (
    id bigint PRIMARY KEY,
    worker integer NOT NULL,
    station text NOT NULL,
    during tsrange NOT NULL,
    CONSTRAINT shifts_worker_excl EXCLUDE USING gist (worker WITH =, station WITH =, during WITH &&)
        DEFERRABLE INITIALLY DEFERRED
);
