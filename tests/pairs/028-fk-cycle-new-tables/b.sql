CREATE TABLE regions (
    id integer PRIMARY KEY,
    name text NOT NULL
);

CREATE TABLE teams (
    id bigint PRIMARY KEY,
    region_id integer REFERENCES regions (id),
    captain_id bigint
);

CREATE TABLE players (
    id bigint PRIMARY KEY,
    team_id bigint NOT NULL REFERENCES teams (id) ON DELETE CASCADE
);

ALTER TABLE teams ADD CONSTRAINT teams_captain_fk FOREIGN KEY (captain_id)
    REFERENCES players (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;
