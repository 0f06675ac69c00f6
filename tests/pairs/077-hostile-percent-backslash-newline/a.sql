CREATE SCHEMA "s%s@x";

CREATE TYPE "s%s@x"."mood%n" AS ENUM ('%s', 'a\b', 'new
line');

CREATE TABLE "s%s@x"."t%s%n" (
    "id%d" bigint PRIMARY KEY,
    "v%n" text DEFAULT '%s%n',
    "c\d" "s%s@x"."mood%n",
    "gone%x" integer
);

CREATE TABLE "b\ack" (
    id integer PRIMARY KEY,
    "new
line" text CHECK ("new
line" <> '%n')
);

CREATE TABLE "drop%me" (id integer);
