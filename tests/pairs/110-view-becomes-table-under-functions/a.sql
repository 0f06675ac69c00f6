CREATE TABLE account (id integer PRIMARY KEY, name text NOT NULL, deleted_at timestamptz);
CREATE VIEW member AS SELECT id, name FROM account WHERE deleted_at IS NULL;
CREATE FUNCTION members() RETURNS SETOF member LANGUAGE sql STABLE
    AS $$ SELECT * FROM member $$;
CREATE FUNCTION label(m member) RETURNS text LANGUAGE sql IMMUTABLE
    AS $$ SELECT m.id || ': ' || m.name $$;
