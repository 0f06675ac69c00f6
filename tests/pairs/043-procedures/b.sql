CREATE TABLE logs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    level text NOT NULL,
    at timestamptz NOT NULL DEFAULT now()
);

CREATE PROCEDURE archive_old(days integer) LANGUAGE sql
    AS $$ DELETE FROM logs WHERE at < now() - make_interval(days => days) AND level <> 'error' $$;

CREATE PROCEDURE rotate_logs(keep integer DEFAULT 7) LANGUAGE plpgsql
    AS $$
BEGIN
    CALL archive_old(keep);
    COMMIT;
END
$$;
COMMENT ON PROCEDURE rotate_logs(integer) IS 'called by cron';

CREATE FUNCTION log_count() RETURNS bigint
    LANGUAGE sql STABLE AS $$ SELECT count(*) FROM logs $$;
