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

COMMENT ON EXTENSION citext IS 'case-insensitive names';
COMMENT ON SCHEMA app IS 'the application';
COMMENT ON TYPE app.mood IS 'how a team feels';
COMMENT ON SEQUENCE app.ticket_seq IS 'ticket numbers';
COMMENT ON TABLE app.teams IS 'teams of people';
COMMENT ON COLUMN app.teams.name IS 'unique, case-insensitive';
COMMENT ON CONSTRAINT teams_pkey ON app.teams IS 'the key';
COMMENT ON CONSTRAINT teams_name_key ON app.teams IS 'no two alike';
COMMENT ON CONSTRAINT teams_name_check ON app.teams IS 'not blank';
COMMENT ON CONSTRAINT members_team_fk ON app.members IS 'membership';
COMMENT ON INDEX app.members_team_idx IS 'for the FK';
COMMENT ON VIEW app.team_names IS 'names only';
COMMENT ON COLUMN app.team_names.name IS 'a view column';
COMMENT ON MATERIALIZED VIEW app.team_sizes IS 'refreshed hourly';
COMMENT ON FUNCTION app.touch() IS 'does nothing yet';
COMMENT ON PROCEDURE app.reset() IS 'empties members';
COMMENT ON TRIGGER teams_touch ON app.teams IS 'keeps rows fresh';
COMMENT ON POLICY teams_visible ON app.teams IS 'hide sad teams';
