DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE TABLE ticket (id integer PRIMARY KEY, owner name NOT NULL DEFAULT current_user, body text);
ALTER TABLE ticket ENABLE ROW LEVEL SECURITY;
ALTER TABLE ticket FORCE ROW LEVEL SECURITY;
GRANT SELECT ON ticket TO zn_reader, "zn ""odd"" writer";
GRANT INSERT, UPDATE (body) ON ticket TO "zn ""odd"" writer";
GRANT DELETE ON ticket TO zn_reader;
CREATE POLICY ticket_read ON ticket FOR SELECT TO zn_reader, "zn ""odd"" writer" USING (true);
CREATE POLICY ticket_own ON ticket FOR ALL TO PUBLIC
    USING (owner = current_user) WITH CHECK (owner = current_user);
CREATE POLICY ticket_purge ON ticket AS RESTRICTIVE FOR DELETE TO zn_reader
    USING (body IS NULL);
