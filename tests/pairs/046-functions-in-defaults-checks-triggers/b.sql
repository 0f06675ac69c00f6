CREATE FUNCTION new_code() RETURNS text
    LANGUAGE sql VOLATILE AS $$ SELECT 'C-' || lpad(floor(random() * 1000000)::text, 6, '0') $$;

CREATE FUNCTION is_valid_code(c text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT c ~ '^C-[0-9]+$' $$;

CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.touched_at := clock_timestamp();
    RETURN NEW;
END
$$;

CREATE FUNCTION price_ok(p numeric) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT p IS NULL OR p BETWEEN 0 AND 10000 $$;

CREATE FUNCTION batch_label() RETURNS text
    LANGUAGE sql STABLE AS $$ SELECT 'batch-' || to_char(now(), 'YYYYMMDD') $$;

CREATE TABLE coupons (
    id integer PRIMARY KEY,
    code text NOT NULL DEFAULT new_code() CHECK (is_valid_code(code)),
    price numeric(10,2),
    touched_at timestamptz,
    batch text DEFAULT batch_label(),
    CONSTRAINT coupons_price_check CHECK (price_ok(price))
);

CREATE TRIGGER coupons_stamp BEFORE INSERT OR UPDATE ON coupons
    FOR EACH ROW EXECUTE FUNCTION stamp();
