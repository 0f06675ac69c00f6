CREATE TABLE keep (id integer PRIMARY KEY);
CREATE TYPE money_amount AS (cents bigint, currency char(3));
CREATE DOMAIN price AS money_amount
    CONSTRAINT price_positive CHECK ((VALUE).cents > 0)
    CONSTRAINT price_currency CHECK ((VALUE).currency IN ('EUR', 'USD'));
CREATE TABLE offer (id integer PRIMARY KEY, p price NOT NULL);
CREATE FUNCTION in_euros(p price) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT (p).currency = 'EUR' $$;
