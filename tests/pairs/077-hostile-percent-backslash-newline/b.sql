CREATE SCHEMA "s%s@x";

CREATE TYPE "s%s@x"."mood%n" AS ENUM ('%s', 'a\b', 'new
line');

CREATE TABLE "s%s@x"."t%s%n" (
    "id%d" bigint PRIMARY KEY,
    "v%n" text DEFAULT 'x%%n\',
    "c\d" "s%s@x"."mood%n",
    "add%p" text
);
CREATE INDEX "ix%s\n" ON "s%s@x"."t%s%n" ("v%n");

CREATE TABLE "b\ack" (
    id integer PRIMARY KEY,
    "new
line" text CHECK ("new
line" <> '%n')
);
COMMENT ON TABLE "b\ack" IS 'it''s %s\n';
