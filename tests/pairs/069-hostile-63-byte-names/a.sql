CREATE SCHEMA "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx";

CREATE TYPE "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Enum Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" AS ENUM ('a', 'Value Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');

CREATE TABLE "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Täble größe Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" (
    "Column Ünïcode Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" integer CONSTRAINT "pk Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" PRIMARY KEY,
    "column_plain_ascii_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" text,
    kind "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Enum Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" DEFAULT 'Value Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
    CONSTRAINT "Check; constraint Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" CHECK ("Column Ünïcode Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" > 0)
);
CREATE INDEX "Index ""Ω"" on column xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ON "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Täble größe Ω xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" ("column_plain_ascii_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

CREATE FUNCTION "Schéma Ω; with ""quotes"" and exactly sixty-three bytes xxxxxxx"."Function Ω; returns trigger xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RETURN NEW;
END
$$;
