CREATE TABLE people (
    id bigint PRIMARY KEY,
    fname text NOT NULL,
    lname text,
    email text,
    CONSTRAINT people_email_key UNIQUE (email),
    CONSTRAINT people_fname_check CHECK (fname <> '')
);
CREATE INDEX people_lname_idx ON people (lname);
CREATE INDEX people_full_idx ON people (lower(fname || ' ' || lname));
COMMENT ON COLUMN people.lname IS 'family name';

CREATE TABLE invitations (
    id bigint PRIMARY KEY,
    invitee text REFERENCES people (email)
);

CREATE VIEW people_names AS SELECT id, fname, lname FROM people;
