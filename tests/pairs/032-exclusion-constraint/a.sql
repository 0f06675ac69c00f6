CREATE TABLE rooms (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE bookings (
    id bigint PRIMARY KEY,
    room_id integer NOT NULL REFERENCES rooms (id),
    during tstzrange NOT NULL,
    cancelled boolean NOT NULL DEFAULT false
);
