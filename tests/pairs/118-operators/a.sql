CREATE FUNCTION rev_match(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $2 ~ $1';
CREATE FUNCTION rev_match2(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $2 ~* $1';
CREATE OPERATOR public.~<< (FUNCTION = rev_match, LEFTARG = text, RIGHTARG = text);
CREATE FUNCTION gone_op(int, int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
CREATE OPERATOR public.=== (FUNCTION = gone_op, LEFTARG = int, RIGHTARG = int);
