CREATE EXTENSION btree_gist;

CREATE TABLE shifts (
    id bigint PRIMARY KEY,
    worker integer NOT NULL,
    station text NOT NULL,
    during tsrange NOT NULL,
    CONSTRAINT shifts_worker_excl EXCLUDE USING gist (worker WITH =, during WITH &&),
    CONSTRAINT shifts_station_excl EXCLUDE USING gist (station WITH =, during WITH &&)
);
