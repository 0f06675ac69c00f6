CREATE TABLE notes (
    id bigint PRIMARY KEY,
    author text NOT NULL,
    shared boolean NOT NULL DEFAULT false,
    body text
);
ALTER TABLE notes ENABLE ROW LEVEL SECURITY;
CREATE POLICY notes_read ON notes FOR SELECT
    USING (author = current_user OR (shared AND body IS NOT NULL));
CREATE POLICY notes_write ON notes FOR INSERT
    WITH CHECK (author = current_user AND body <> '');
CREATE POLICY notes_limit ON notes AS RESTRICTIVE
    USING (true);
CREATE POLICY notes_edit ON notes FOR UPDATE
    USING (author = current_user) WITH CHECK (author = current_user);

CREATE TABLE drafts (
    id bigint PRIMARY KEY,
    author text NOT NULL
);
CREATE POLICY drafts_mine ON drafts
    USING (author = current_user);
