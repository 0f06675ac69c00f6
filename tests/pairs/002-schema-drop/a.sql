CREATE TABLE accounts (
    id bigint PRIMARY KEY,
    name text NOT NULL
);

CREATE SCHEMA legacy;
COMMENT ON SCHEMA legacy IS 'the old system, read only';

CREATE TYPE legacy.state AS ENUM ('on', 'off');

CREATE SEQUENCE legacy.import_batch;

CREATE TABLE legacy.imports (
    id integer PRIMARY KEY,
    account_id bigint REFERENCES public.accounts (id),
    state legacy.state NOT NULL DEFAULT 'on',
    batch bigint DEFAULT nextval('legacy.import_batch')
);

CREATE VIEW legacy.active_imports AS
    SELECT id, account_id FROM legacy.imports WHERE state = 'on';
