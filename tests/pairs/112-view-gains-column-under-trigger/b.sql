DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE TABLE task (id integer PRIMARY KEY, title text NOT NULL, done boolean NOT NULL DEFAULT false);
CREATE VIEW open_task AS SELECT id, title FROM task WHERE NOT done;
GRANT SELECT ON open_task TO zn_reader;
COMMENT ON VIEW open_task IS 'open ones';
CREATE FUNCTION open_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER open_ins INSTEAD OF INSERT ON open_task FOR EACH ROW EXECUTE FUNCTION open_ins();
