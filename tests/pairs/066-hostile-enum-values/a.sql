CREATE SCHEMA "Ω";
CREATE TYPE "Ω"."Mood ""Enum""" AS ENUM ('it''s', 'a;b', 'Ünïcode', '"q"', 'select');

CREATE TABLE "Ω"."from" (
    "Id" integer PRIMARY KEY,
    "mood" "Ω"."Mood ""Enum""" DEFAULT 'a;b'
);
