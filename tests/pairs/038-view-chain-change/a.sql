CREATE TABLE users (
    id integer PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL,
    active boolean NOT NULL DEFAULT true
);

CREATE VIEW user_list AS
    SELECT id, name, email FROM users WHERE active;

CREATE VIEW user_names AS
    SELECT id, name FROM user_list;

CREATE VIEW user_count AS
    SELECT count(*) AS n FROM user_names;
