CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE mood IS 'how it feels';

CREATE FUNCTION is_happy(m mood) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT m = 'happy' $$;

CREATE TABLE diary (
    id integer PRIMARY KEY,
    mood mood NOT NULL DEFAULT 'ok',
    history mood[]
);
