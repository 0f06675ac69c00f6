CREATE TABLE person (id integer PRIMARY KEY, email text NOT NULL);
CREATE FUNCTION ci_eq(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT AS 'SELECT lower($1) = lower($2)';
CREATE FUNCTION ci_hash(text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT AS 'SELECT hashtext(lower($1))';
CREATE OPERATOR =* (FUNCTION = ci_eq, LEFTARG = text, RIGHTARG = text, COMMUTATOR = =*, HASHES);
CREATE OPERATOR FAMILY ci_family USING hash;
COMMENT ON OPERATOR FAMILY ci_family USING hash IS 'case-blind text';
CREATE OPERATOR CLASS ci_hash_ops FOR TYPE text USING hash FAMILY ci_family AS
    OPERATOR 1 =*, FUNCTION 1 ci_hash(text);
CREATE INDEX person_email_ci ON person USING hash (email ci_hash_ops);
