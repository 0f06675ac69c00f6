CREATE TABLE "from" (
    "Id" integer PRIMARY KEY,
    "Updated At" timestamptz,
    "select" text
);

CREATE FUNCTION "Touch; Me"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW."Updated At" := now();
    RETURN NEW;
END
$$;

CREATE FUNCTION "user"("select" text) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$ SELECT upper("select") $$;

CREATE TRIGGER "before update; x" BEFORE UPDATE ON "from"
    FOR EACH ROW EXECUTE FUNCTION "Touch; Me"();
CREATE TRIGGER "Old ""Trigger""" AFTER DELETE ON "from"
    FOR EACH STATEMENT EXECUTE FUNCTION "Touch; Me"();
