CREATE SCHEMA app;
CREATE COLLATION app.c_posix (provider = libc, locale = 'C');
CREATE COLLATION app."Mixed C" (provider = libc, lc_collate = 'C', lc_ctype = 'POSIX');
CREATE COLLATION app.numeric_icu (provider = icu, locale = '@colCaseFirst=lower;colNumeric=yes');
CREATE COLLATION app.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
COMMENT ON COLLATION app.ci IS 'case-insensitive';
CREATE DOMAIN app.name_ci AS text COLLATE app.ci;
CREATE TABLE app.person (
    id int PRIMARY KEY,
    login app.name_ci NOT NULL,
    sort_name text COLLATE app.numeric_icu,
    code varchar(10) COLLATE app."Mixed C"
);
CREATE INDEX person_sort ON app.person (sort_name COLLATE app.c_posix);
