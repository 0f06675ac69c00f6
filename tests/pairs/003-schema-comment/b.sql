CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the application tables, version 2';

CREATE SCHEMA ops;
COMMENT ON SCHEMA ops IS 'operational data';

CREATE SCHEMA misc;

CREATE TABLE app.items (
    id integer PRIMARY KEY
);
