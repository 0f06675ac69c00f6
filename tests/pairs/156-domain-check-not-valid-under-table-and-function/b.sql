CREATE DOMAIN email AS text DEFAULT 'nobody@example.com' NOT NULL
    CONSTRAINT email_at CHECK (VALUE ~ '@');
ALTER DOMAIN email ADD CONSTRAINT email_short CHECK (length(VALUE) <= 254) NOT VALID;
CREATE DOMAIN work_email AS email CONSTRAINT work_email_domain CHECK (VALUE ~ '@example\.(com|org)$');
CREATE TABLE staff (id integer PRIMARY KEY, contact work_email, private email);
CREATE FUNCTION norm_email(e email) RETURNS email LANGUAGE sql IMMUTABLE
    AS $$ SELECT lower(e)::email $$;
CREATE FUNCTION is_work(e work_email) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT e IS NOT NULL $$;
CREATE VIEW staff_contacts AS SELECT id, norm_email(contact) AS contact FROM staff;
