CREATE TABLE seats (
    id integer PRIMARY KEY,
    venue text NOT NULL,
    row_label text NOT NULL,
    seat_no integer NOT NULL,
    barcode text,
    external_ref text UNIQUE,
    CONSTRAINT seats_position_key UNIQUE (venue, row_label),
    CONSTRAINT seats_barcode_key UNIQUE NULLS NOT DISTINCT (barcode)
);
