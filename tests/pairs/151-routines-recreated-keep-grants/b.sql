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
CREATE FUNCTION secret_of(account_id integer) RETURNS text LANGUAGE sql STABLE
    SECURITY DEFINER AS $$ SELECT secret FROM account WHERE id = account_id $$;
REVOKE EXECUTE ON FUNCTION secret_of(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION secret_of(integer) TO zn_reader WITH GRANT OPTION;
CREATE FUNCTION total() RETURNS bigint LANGUAGE sql STABLE
    AS $$ SELECT sum(balance) FROM account $$;
GRANT EXECUTE ON FUNCTION total() TO "zn ""odd"" writer";
CREATE PROCEDURE close_account(IN account_id integer) LANGUAGE sql
    AS $$ DELETE FROM account WHERE id = account_id $$;
REVOKE EXECUTE ON PROCEDURE close_account(integer) FROM PUBLIC;
GRANT EXECUTE ON PROCEDURE close_account(integer) TO "zn ""odd"" writer";
