CREATE SCHEMA ext;
CREATE EXTENSION citext;
CREATE EXTENSION pgcrypto;
CREATE EXTENSION hstore SCHEMA ext;

CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    token uuid NOT NULL DEFAULT gen_random_uuid(),
    handle citext,
    attrs ext.hstore
);
