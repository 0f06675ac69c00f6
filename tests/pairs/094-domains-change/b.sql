CREATE TABLE keep (id integer PRIMARY KEY);
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN year AS integer DEFAULT 2000
    CONSTRAINT year_check CHECK (VALUE >= 1800 AND VALUE <= 2155)
    CONSTRAINT not_zero CHECK (VALUE <> 0);
COMMENT ON DOMAIN year IS 'a year, still';
CREATE DOMAIN recent_year AS year
    CONSTRAINT recent CHECK (VALUE > 2000);
CREATE DOMAIN "E-mail" AS text COLLATE "C" NOT NULL
    CONSTRAINT at CHECK (VALUE ~ '@')
    CONSTRAINT lower_only CHECK (VALUE = lower(VALUE));
CREATE DOMAIN good_mood AS mood CHECK (VALUE <> 'sad');
CREATE DOMAIN code AS varchar(8) CHECK (VALUE IN ('a', 'b'));
CREATE TABLE film (
    id integer PRIMARY KEY,
    release year,
    seen recent_year,
    contact "E-mail",
    m good_mood,
    codes code[]
);
CREATE FUNCTION next_year(y year) RETURNS year LANGUAGE sql IMMUTABLE AS $$ SELECT (y + 1)::year $$;
CREATE VIEW old_films AS SELECT id, release FROM film WHERE release < 1950;
