CREATE SCHEMA "Sales Dept; DROP SCHEMA public";

CREATE TABLE "user" (
    "ID" bigint PRIMARY KEY,
    "Name" text NOT NULL
);

CREATE TABLE "Sales Dept; DROP SCHEMA public"."Order Lines" (
    "Id" integer PRIMARY KEY,
    "select" text,
    "from" date,
    "user" text DEFAULT current_user,
    "Mixed Case" boolean NOT NULL DEFAULT false
);
