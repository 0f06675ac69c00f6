-- Every object kind zn-snapshot reads, with hostile names: quotes,
-- spaces, semicolons, unicode, reserved words, mixed case and names of
-- the full 63 bytes.  Loaded by tests/100-zn-snapshot.bats.
CREATE SCHEMA app;
CREATE SCHEMA "Weird ""Schema""; DROP";
COMMENT ON SCHEMA app IS 'application tables';

CREATE TYPE app.mood AS ENUM ('sad', 'ok', 'happy');
CREATE TYPE "Weird ""Schema""; DROP"."Ünïcode enum" AS ENUM ('a b', 'it''s', 'Ω');
COMMENT ON TYPE app.mood IS 'how it feels';

CREATE SEQUENCE app.counter AS integer START 100 INCREMENT 5 MINVALUE 10
    MAXVALUE 100000 CACHE 3 CYCLE;
COMMENT ON SEQUENCE app.counter IS 'a free-standing sequence';

CREATE TABLE app.orgs (
    id bigint GENERATED ALWAYS AS IDENTITY (START WITH 7 INCREMENT BY 3)
        PRIMARY KEY,
    name text NOT NULL COLLATE "C",
    slug varchar(40) NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orgs_slug_key UNIQUE (slug)
);
COMMENT ON TABLE app.orgs IS 'organisations';
COMMENT ON COLUMN app.orgs.name IS 'display name';

CREATE TABLE app.users (
    id serial PRIMARY KEY,
    org_id bigint NOT NULL,
    email text NOT NULL,
    mood app.mood DEFAULT 'ok',
    tags text[] DEFAULT '{}'::text[],
    score numeric(10,2) CHECK (score >= 0),
    email_lower text GENERATED ALWAYS AS (lower(email)) STORED,
    deleted_at timestamp,
    CONSTRAINT users_org_fk FOREIGN KEY (org_id) REFERENCES app.orgs (id)
        ON DELETE CASCADE ON UPDATE RESTRICT DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT users_email_key UNIQUE NULLS NOT DISTINCT (email) INCLUDE (org_id)
);
ALTER TABLE app.users ADD CONSTRAINT users_email_check
    CHECK (email LIKE '%@%') NOT VALID;
COMMENT ON CONSTRAINT users_email_check ON app.users IS 'roughly an address';
CREATE INDEX users_live_email ON app.users (lower(email) DESC NULLS LAST, org_id)
    WHERE deleted_at IS NULL;
CREATE UNIQUE INDEX users_org_email ON app.users USING btree (org_id, email text_pattern_ops)
    INCLUDE (mood) WITH (fillfactor = 70);
CREATE INDEX users_tags ON app.users USING gin (tags);
COMMENT ON INDEX app.users_tags IS 'tag search';
ALTER TABLE app.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE app.users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_same_org ON app.users FOR SELECT TO PUBLIC
    USING (org_id = current_setting('app.org')::bigint);
CREATE POLICY users_insert ON app.users AS RESTRICTIVE FOR INSERT
    WITH CHECK (email <> '');
COMMENT ON POLICY users_same_org ON app.users IS 'tenant isolation';

CREATE EXTENSION btree_gist;
CREATE TABLE app.rooms (
    id integer PRIMARY KEY,
    during tstzrange NOT NULL,
    EXCLUDE USING gist (id WITH =, during WITH &&) DEFERRABLE
) WITH (fillfactor = 80, autovacuum_enabled = false);

CREATE UNLOGGED TABLE app.cache (k text PRIMARY KEY, v jsonb);

CREATE TABLE app.events (
    id bigint NOT NULL,
    at date NOT NULL,
    payload jsonb
) PARTITION BY RANGE (at);
CREATE TABLE app.events_2026 PARTITION OF app.events
    FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE TABLE app.events_default PARTITION OF app.events DEFAULT;
CREATE INDEX events_at ON app.events (at);

CREATE TABLE app.base (id integer, note text CHECK (note <> ''));
CREATE TABLE app.child (extra integer) INHERITS (app.base);

CREATE TABLE "Weird ""Schema""; DROP"."select" (
    "Id" integer PRIMARY KEY,
    "from" text DEFAULT 'it''s; DROP TABLE x; --',
    "größe ü" integer DEFAULT 42,
    "a_column_name_that_is_exactly_sixty_three_bytes_long_abcdefghij" integer,
    "ref" bigint
);
ALTER TABLE "Weird ""Schema""; DROP"."select" ADD CONSTRAINT "select_ref_fkey"
    FOREIGN KEY ("ref") REFERENCES app.orgs (id) MATCH FULL ON DELETE SET NULL
    NOT VALID;
CREATE INDEX "an_index_name_that_is_exactly_sixty_three_bytes_long_abcdefghij"
    ON "Weird ""Schema""; DROP"."select" ("from");
COMMENT ON COLUMN "Weird ""Schema""; DROP"."select"."größe ü" IS 'size; "quoted"';

CREATE VIEW app.active_users WITH (security_barrier = true) AS
    SELECT id, email FROM app.users WHERE deleted_at IS NULL
    WITH LOCAL CHECK OPTION;
COMMENT ON VIEW app.active_users IS 'who is still here';
CREATE VIEW app.active_emails AS SELECT email FROM app.active_users;
CREATE MATERIALIZED VIEW app.org_counts AS
    SELECT org_id, count(*) AS n FROM app.users GROUP BY org_id WITH NO DATA;
CREATE UNIQUE INDEX org_counts_org ON app.org_counts (org_id);

CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.deleted_at := NULL;
    RETURN NEW;
END
$$;
CREATE FUNCTION app.add(a integer, b integer DEFAULT 1) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a + b';
CREATE FUNCTION app.add(a numeric, b numeric) RETURNS numeric
    LANGUAGE sql IMMUTABLE AS 'SELECT a + b';
COMMENT ON FUNCTION app.add(integer, integer) IS 'sum';
CREATE PROCEDURE app.purge(days integer) LANGUAGE sql
    AS $$ DELETE FROM app.users WHERE deleted_at < now() - make_interval(days => days) $$;
CREATE TRIGGER users_touch BEFORE UPDATE ON app.users
    FOR EACH ROW WHEN (OLD.email IS DISTINCT FROM NEW.email)
    EXECUTE FUNCTION app.touch();
ALTER TABLE app.users DISABLE TRIGGER users_touch;
COMMENT ON TRIGGER users_touch ON app.users IS 'keeps rows alive';
CREATE TRIGGER "Trigger; ""x""" AFTER INSERT ON "Weird ""Schema""; DROP"."select"
    FOR EACH STATEMENT EXECUTE FUNCTION app.touch();
