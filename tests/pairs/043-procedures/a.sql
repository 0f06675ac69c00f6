CREATE TABLE logs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    level text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);

CREATE PROCEDURE archive_old(days integer) LANGUAGE sql
    AS $$ DELETE FROM logs WHERE at < now() - make_interval(days => days) $$;

CREATE PROCEDURE obsolete_proc() LANGUAGE plpgsql
    AS $$ BEGIN NULL; END $$;
