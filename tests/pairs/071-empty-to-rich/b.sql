CREATE EXTENSION btree_gist;
CREATE EXTENSION pgcrypto;

CREATE SCHEMA app;
COMMENT ON SCHEMA app IS 'the application';

CREATE TYPE app.plan AS ENUM ('free', 'team', 'enterprise');
COMMENT ON TYPE app.plan IS 'billing plan';

CREATE SEQUENCE app.invoice_no AS integer START 1000 MINVALUE 1000 CACHE 5;

CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE FUNCTION app.slug(s text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT regexp_replace(lower(s), '[^a-z0-9]+', '-', 'g') $$;

CREATE TABLE app.orgs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text COLLATE "C" NOT NULL,
    slug text GENERATED ALWAYS AS (app.slug(name)) STORED,
    plan app.plan NOT NULL DEFAULT 'free',
    owner_id uuid,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamp DEFAULT CURRENT_TIMESTAMP,
    invoice integer DEFAULT nextval('app.invoice_no'),
    CONSTRAINT orgs_slug_key UNIQUE (slug)
);
COMMENT ON TABLE app.orgs IS 'organisations';

CREATE TABLE app.users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    org_id bigint NOT NULL REFERENCES app.orgs (id) ON DELETE CASCADE,
    email text NOT NULL,
    tags text[] NOT NULL DEFAULT '{}'::text[],
    prefs jsonb DEFAULT '{}'::jsonb,
    deleted_at timestamptz,
    CONSTRAINT users_email_check CHECK (position('@' in email) > 1),
    CONSTRAINT users_org_email_key UNIQUE NULLS NOT DISTINCT (org_id, email)
);
COMMENT ON COLUMN app.users.email IS 'login';
CREATE INDEX users_live_idx ON app.users (org_id) WHERE deleted_at IS NULL;
CREATE INDEX users_tags_idx ON app.users USING gin (tags);
CREATE INDEX users_email_lower_idx ON app.users (lower(email) DESC NULLS FIRST) INCLUDE (org_id);

ALTER TABLE app.orgs ADD CONSTRAINT orgs_owner_fk FOREIGN KEY (owner_id)
    REFERENCES app.users (id) ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE app.rooms (
    id integer PRIMARY KEY,
    org_id bigint NOT NULL REFERENCES app.orgs (id),
    during tstzrange NOT NULL,
    EXCLUDE USING gist (id WITH =, during WITH &&)
) WITH (fillfactor = 80);
ALTER TABLE app.rooms REPLICA IDENTITY FULL;

CREATE TABLE app.events (
    id bigint NOT NULL,
    at date NOT NULL,
    payload jsonb
) PARTITION BY RANGE (at);
CREATE TABLE app.events_default PARTITION OF app.events DEFAULT;

CREATE TRIGGER orgs_touch BEFORE UPDATE ON app.orgs
    FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
    EXECUTE FUNCTION app.touch();

ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
CREATE POLICY users_same_org ON app.users FOR SELECT
    USING (org_id = current_setting('app.org_id')::bigint);
CREATE POLICY users_not_deleted ON app.users AS RESTRICTIVE
    USING (deleted_at IS NULL);

CREATE VIEW app.active_users WITH (security_barrier = true) AS
    SELECT id, org_id, email FROM app.users WHERE deleted_at IS NULL;
CREATE VIEW app.active_emails AS
    SELECT email FROM app.active_users;

CREATE MATERIALIZED VIEW app.org_sizes AS
    SELECT org_id, count(*) AS n FROM app.users GROUP BY org_id;
CREATE UNIQUE INDEX org_sizes_org_id_key ON app.org_sizes (org_id);

CREATE PROCEDURE app.purge(days integer DEFAULT 30) LANGUAGE sql
    AS $$ DELETE FROM app.users WHERE deleted_at < now() - make_interval(days => days) $$;
