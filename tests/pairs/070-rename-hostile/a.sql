CREATE SCHEMA "Weird; Schema";
CREATE TYPE "Weird; Schema"."Select" AS ENUM ('it''s', 'Ω');

CREATE TABLE "Weird; Schema"."Old Name; x" (
    "Id" integer CONSTRAINT "Old Name; x_pkey" PRIMARY KEY,
    "from" text NOT NULL,
    "Mixed Case" "Weird; Schema"."Select" DEFAULT 'Ω'
);
CREATE INDEX "Idx ""q""" ON "Weird; Schema"."Old Name; x" ("from");
COMMENT ON COLUMN "Weird; Schema"."Old Name; x"."from" IS 'where it came from';
