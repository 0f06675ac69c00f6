CREATE DOMAIN email AS text CONSTRAINT email_at CHECK (VALUE ~ '@');
CREATE DOMAIN work_email AS email CONSTRAINT work_email_domain CHECK (VALUE ~ '@example\.com$');
CREATE TABLE staff (id integer PRIMARY KEY, contact work_email, private email);
CREATE FUNCTION norm_email(e email) RETURNS email LANGUAGE sql IMMUTABLE
    AS $$ SELECT lower(e)::email $$;
CREATE FUNCTION is_work(e work_email) RETURNS boolean LANGUAGE sql IMMUTABLE
    AS $$ SELECT e IS NOT NULL $$;
CREATE VIEW staff_contacts AS SELECT id, norm_email(contact) AS contact FROM staff;
