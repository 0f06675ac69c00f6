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
CREATE FOREIGN DATA WRAPPER plain_fdw HANDLER postgres_fdw_handler OPTIONS (mode 'safe', extra 'yes');
CREATE FOREIGN DATA WRAPPER pg_wrap HANDLER postgres_fdw_handler VALIDATOR postgres_fdw_validator;
CREATE FOREIGN DATA WRAPPER "New Wrapper" OPTIONS (k 'v');
CREATE SERVER warehouse TYPE 'postgres' VERSION '15' FOREIGN DATA WRAPPER pg_wrap OPTIONS (host 'db2', dbname 'wh', fetch_size '500');
CREATE SERVER files FOREIGN DATA WRAPPER plain_fdw;
CREATE SERVER "New Server" VERSION '1' FOREIGN DATA WRAPPER "New Wrapper" OPTIONS (a 'b');
GRANT USAGE ON FOREIGN SERVER "New Server" TO "zn ""odd"" fdw";
GRANT USAGE ON FOREIGN DATA WRAPPER plain_fdw TO zn_fdw_user;
CREATE USER MAPPING FOR zn_fdw_user SERVER warehouse OPTIONS (user 'reader', password 'rotated');
CREATE USER MAPPING FOR "zn ""odd"" fdw" SERVER "New Server" OPTIONS (user 'odd');
CREATE USER MAPPING FOR zn_fdw_user SERVER files;
COMMENT ON SERVER warehouse IS 'the new warehouse';
