CREATE FUNCTION rev_match(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $2 ~ $1';
CREATE FUNCTION rev_match2(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $2 ~* $1';
CREATE OPERATOR public.~<< (FUNCTION = rev_match2, LEFTARG = text, RIGHTARG = text);
COMMENT ON OPERATOR public.~<< (text, text) IS 'reversed case-blind match';
CREATE FUNCTION ci_eq(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT lower($1) = lower($2)';
CREATE FUNCTION ci_ne(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT lower($1) <> lower($2)';
CREATE OPERATOR public.=~= (FUNCTION = ci_eq, LEFTARG = text, RIGHTARG = text,
    COMMUTATOR = =~=, NEGATOR = <~>, RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR public.<~> (FUNCTION = ci_ne, LEFTARG = text, RIGHTARG = text,
    COMMUTATOR = <~>, NEGATOR = =~=, RESTRICT = neqsel, JOIN = neqjoinsel);
CREATE TABLE tag (name text CHECK (NOT (name =~= 'forbidden')));
