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
GRANT SELECT ON ticket TO zn_reader;
GRANT SELECT, INSERT, UPDATE ON ticket TO "zn ""odd"" writer";
CREATE POLICY ticket_read ON ticket FOR SELECT TO zn_reader USING (true);
CREATE POLICY ticket_own ON ticket FOR ALL TO "zn ""odd"" writer"
    USING (owner = current_user) WITH CHECK (owner = current_user);
