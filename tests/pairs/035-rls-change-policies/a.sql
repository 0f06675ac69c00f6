CREATE TABLE notes (
    id bigint PRIMARY KEY,
    author text NOT NULL,
    shared boolean NOT NULL DEFAULT false,
    body text
);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE notes FORCE ROW LEVEL SECURITY;
CREATE POLICY notes_read ON notes FOR SELECT
    USING (author = current_user OR shared);
CREATE POLICY notes_write ON notes FOR INSERT
    WITH CHECK (author = current_user);
CREATE POLICY notes_gone ON notes FOR DELETE
    USING (author = current_user);
CREATE POLICY notes_limit ON notes
    USING (true);

CREATE TABLE drafts (
    id bigint PRIMARY KEY,
    author text NOT NULL
);
ALTER TABLE drafts ENABLE ROW LEVEL SECURITY;
CREATE POLICY drafts_mine ON drafts
    USING (author = current_user);
