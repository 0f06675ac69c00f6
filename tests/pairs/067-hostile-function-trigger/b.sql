CREATE TABLE "from" (
    "Id" integer PRIMARY KEY,
    "Updated At" timestamptz,
    "select" text
);

CREATE FUNCTION "Touch; Me"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."Updated At" := clock_timestamp();
    RETURN NEW;
END
$$;

CREATE FUNCTION "user"("select" text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT upper("select") $$;

CREATE FUNCTION "user"("select" integer) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT 'n=' || "select" $$;

CREATE FUNCTION "Ünïcode Ω"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NULL;
END
$$;

CREATE TRIGGER "before update; x" BEFORE UPDATE ON "from"
    FOR EACH ROW WHEN (OLD."select" IS DISTINCT FROM NEW."select")
    EXECUTE FUNCTION "Touch; Me"();
CREATE TRIGGER "Ω Trigger ""q""" AFTER INSERT ON "from"
    FOR EACH ROW EXECUTE FUNCTION "Ünïcode Ω"();
COMMENT ON TRIGGER "Ω Trigger ""q""" ON "from" IS 'fires; "always"';
