CREATE SCHEMA "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx";

CREATE TYPE "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Enum Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" AS ENUM ('a', 'Value Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');

CREATE TABLE "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Täble größe Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" (
    "Column Ünïcode Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" integer CONSTRAINT "pk Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" PRIMARY KEY,
    "column_plain_ascii_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" text,
    kind "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Enum Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" DEFAULT 'Value Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    "Nëw Column; added in B xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" bigint NOT NULL DEFAULT 0,
    CONSTRAINT "Check; constraint Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" CHECK ("Column Ünïcode Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" > 0 AND "Nëw Column; added in B xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" >= 0),
    CONSTRAINT "Unique Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" UNIQUE ("column_plain_ascii_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "Nëw Column; added in B xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
);
CREATE INDEX "Index ""Ω"" on column xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ON "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Täble größe Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ("column_plain_ascii_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "Column Ünïcode Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
CREATE INDEX "Second index; xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ON "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Täble größe Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ("Nëw Column; added in B xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" DESC);

CREATE FUNCTION "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Function Ω; returns trigger xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;

CREATE TRIGGER "Trigger ""Ω""; before insert xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" BEFORE INSERT ON "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Täble größe Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
    FOR EACH ROW EXECUTE FUNCTION "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Function Ω; returns trigger xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"();
