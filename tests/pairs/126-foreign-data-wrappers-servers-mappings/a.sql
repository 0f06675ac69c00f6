DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn_fdw_user') THEN
        CREATE ROLE zn_fdw_user;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'zn "odd" fdw') THEN
        CREATE ROLE "zn ""odd"" fdw";
    END IF;
END $$;
CREATE EXTENSION postgres_fdw;
CREATE FOREIGN DATA WRAPPER plain_fdw OPTIONS (mode 'fast', "odd key" 'it''s');
CREATE FOREIGN DATA WRAPPER pg_wrap HANDLER postgres_fdw_handler VALIDATOR postgres_fdw_validator;
CREATE FOREIGN DATA WRAPPER gone_fdw;
CREATE SERVER warehouse TYPE 'postgres' VERSION '14' FOREIGN DATA WRAPPER pg_wrap OPTIONS (host 'db1', dbname 'wh', port '5432');
CREATE SERVER "Old Server" FOREIGN DATA WRAPPER gone_fdw;
CREATE SERVER files FOREIGN DATA WRAPPER plain_fdw;
GRANT USAGE ON FOREIGN SERVER warehouse TO zn_fdw_user;
GRANT USAGE ON FOREIGN DATA WRAPPER plain_fdw TO zn_fdw_user WITH GRANT OPTION;
CREATE USER MAPPING FOR zn_fdw_user SERVER warehouse OPTIONS (user 'reader', password 'secret');
CREATE USER MAPPING FOR PUBLIC SERVER warehouse OPTIONS (user 'anon');
CREATE USER MAPPING FOR "zn ""odd"" fdw" SERVER "Old Server";
COMMENT ON SERVER warehouse IS 'the warehouse';
COMMENT ON FOREIGN DATA WRAPPER plain_fdw IS 'no handler';
