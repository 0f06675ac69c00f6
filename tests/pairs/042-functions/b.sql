CREATE FUNCTION add_tax(amount numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT amount * 1.25 $$;

CREATE FUNCTION add_tax(amount numeric, rate numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT amount * (1 + rate) $$;

CREATE FUNCTION add_tax(amount integer) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS $$ SELECT amount * 1.25 $$;

CREATE FUNCTION greet(name text, greeting text DEFAULT 'Hi') RETURNS text
    LANGUAGE plpgsql AS $$
BEGIN
    RETURN greeting || ', ' || name || '!';
END
$$;

CREATE FUNCTION counter_value() RETURNS bigint
    LANGUAGE sql STABLE AS 'SELECT 42::bigint';

CREATE FUNCTION clamp(v integer, lo integer, hi integer) RETURNS integer
    LANGUAGE plpgsql STABLE STRICT AS $$
BEGIN
    IF v < lo THEN RETURN lo; END IF;
    IF v > hi THEN RETURN hi; END IF;
    RETURN v;
END
$$;

CREATE FUNCTION slugify(s text, sep text DEFAULT '-') RETURNS text
    LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    RETURN regexp_replace(lower(s), '[^a-z0-9]+', sep, 'g');
END
$$;
