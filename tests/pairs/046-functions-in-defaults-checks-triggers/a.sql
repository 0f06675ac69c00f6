CREATE FUNCTION new_code() RETURNS text
    LANGUAGE sql VOLATILE AS $$ SELECT 'C-' || floor(random() * 1000000)::text $$;

CREATE FUNCTION is_valid_code(c text) RETURNS boolean
    LANGUAGE sql IMMUTABLE AS $$ SELECT c LIKE 'C-%' $$;

CREATE FUNCTION stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.touched_at := now();
    RETURN NEW;
END
$$;

CREATE TABLE coupons (
    id integer PRIMARY KEY,
    code text NOT NULL DEFAULT new_code() CHECK (is_valid_code(code)),
    price numeric(10,2),
    touched_at timestamptz
);

CREATE TRIGGER coupons_stamp BEFORE INSERT OR UPDATE ON coupons
    FOR EACH ROW EXECUTE FUNCTION stamp();
