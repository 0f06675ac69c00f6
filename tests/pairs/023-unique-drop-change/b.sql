CREATE TABLE seats (
    id integer PRIMARY KEY,
    venue text NOT NULL,
    row_label text NOT NULL,
    seat_no integer NOT NULL,
    barcode text,
    external_ref text,
    CONSTRAINT seats_position_key UNIQUE (venue, row_label, seat_no),
    CONSTRAINT seats_barcode_key UNIQUE (barcode)
);
