CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the application';

CREATE SCHEMA ops;

CREATE SCHEMA misc;
COMMENT ON SCHEMA misc IS 'odds and ends';

CREATE TABLE app.items (
    id integer PRIMARY KEY
);
