CREATE FUNCTION add_tax(amount numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT amount * 1.2 $$;

CREATE FUNCTION add_tax(amount numeric, rate numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT amount * (1 + rate) $$;

CREATE FUNCTION greet(name text, greeting text DEFAULT 'Hello') RETURNS text
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN greeting || ', ' || name;
END
$$;

CREATE FUNCTION obsolete() RETURNS integer
    LANGUAGE sql AS 'SELECT 1';

CREATE FUNCTION counter_value() RETURNS integer
    LANGUAGE sql STABLE AS 'SELECT 42';

CREATE FUNCTION clamp(v integer, lo integer, hi integer) RETURNS integer
    LANGUAGE plpgsql IMMUTABLE STRICT AS $$
BEGIN
    IF v < lo THEN RETURN lo; END IF;
    IF v > hi THEN RETURN hi; END IF;
    RETURN v;
END
$$;
