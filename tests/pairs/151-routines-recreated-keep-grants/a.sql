DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_reader') THEN
        CREATE ROLE zn_reader;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" writer') THEN
        CREATE ROLE "zn ""odd"" writer";
    END IF;
END $$;
CREATE TABLE account (id integer PRIMARY KEY, secret text, balance integer);
CREATE FUNCTION secret_of(i integer) RETURNS text LANGUAGE sql STABLE
    SECURITY DEFINER AS $$ SELECT secret FROM account WHERE id = i $$;
REVOKE EXECUTE ON FUNCTION secret_of(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION secret_of(integer) TO zn_reader WITH GRANT OPTION;
CREATE FUNCTION total() RETURNS integer LANGUAGE sql STABLE
    AS $$ SELECT sum(balance)::integer FROM account $$;
GRANT EXECUTE ON FUNCTION total() TO "zn ""odd"" writer";
CREATE PROCEDURE close_account(IN i integer) LANGUAGE sql
    AS $$ DELETE FROM account WHERE id = i $$;
REVOKE EXECUTE ON PROCEDURE close_account(integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE close_account(integer) TO "zn ""odd"" writer";
