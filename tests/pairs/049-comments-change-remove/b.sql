CREATE EXTENSION citext;
CREATE SCHEMA app;
CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE SEQUENCE app.ticket_seq;

CREATE TABLE app.teams (
    id integer CONSTRAINT teams_pkey PRIMARY KEY,
    name citext NOT NULL,
    mood app.mood,
    CONSTRAINT teams_name_key UNIQUE (name),
    CONSTRAINT teams_name_check CHECK (name <> '')
);
CREATE TABLE app.members (
    id integer PRIMARY KEY,
    team_id integer CONSTRAINT members_team_fk REFERENCES app.teams (id)
);
CREATE INDEX members_team_idx ON app.members (team_id);

CREATE VIEW app.team_names AS SELECT id, name FROM app.teams;
CREATE MATERIALIZED VIEW app.team_sizes AS
    SELECT team_id, count(*) AS n FROM app.members GROUP BY team_id;

CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;
CREATE PROCEDURE app.reset() LANGUAGE sql AS $$ DELETE FROM app.members $$;

CREATE TRIGGER teams_touch BEFORE UPDATE ON app.teams
    FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.teams ENABLE ROW LEVEL SECURITY;
CREATE POLICY teams_visible ON app.teams USING (mood IS DISTINCT FROM 'sad');

COMMENT ON SCHEMA app IS 'the application, v2';
COMMENT ON SEQUENCE app.ticket_seq IS 'support ticket numbers';
COMMENT ON TABLE app.teams IS 'teams of people; see "members"';
COMMENT ON CONSTRAINT teams_name_key ON app.teams IS 'no two alike (ignoring case)';
COMMENT ON CONSTRAINT members_team_fk ON app.members IS 'membership, changed';
COMMENT ON VIEW app.team_names IS 'names only, it''s a view';
COMMENT ON FUNCTION app.touch() IS 'still does nothing';
COMMENT ON TRIGGER teams_touch ON app.teams IS 'keeps rows fresh (v2)';
COMMENT ON COLUMN app.members.team_id IS 'new comment on a column';
