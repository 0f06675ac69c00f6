CREATE EXTENSION btree_gist;
CREATE EXTENSION citext;
CREATE EXTENSION hstore;

CREATE TABLE profiles (
    id bigint PRIMARY KEY,
    handle citext NOT NULL,
    name text,
    attrs hstore
);
