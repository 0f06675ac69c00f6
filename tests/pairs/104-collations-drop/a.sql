CREATE SCHEMA app;
CREATE COLLATION app.c_posix (provider = libc, locale = 'C');
CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE DOMAIN app.name_ci AS text COLLATE app.ci;
CREATE TABLE app.person (id int PRIMARY KEY, login app.name_ci, sort_name text COLLATE app.c_posix);
CREATE TABLE app.tag (name text COLLATE app.ci);
CREATE INDEX person_id ON app.person (id);
