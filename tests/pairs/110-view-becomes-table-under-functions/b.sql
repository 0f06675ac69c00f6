CREATE TABLE member (id integer PRIMARY KEY, name text NOT NULL);
CREATE FUNCTION members() RETURNS SETOF member LANGUAGE sql STABLE
    AS $$ SELECT * FROM member $$;
CREATE FUNCTION label(m member) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT m.id || ': ' || m.name $$;
