CREATE SCHEMA "Sales Dept; DROP SCHEMA public";
COMMENT ON SCHEMA "Sales Dept; DROP SCHEMA public" IS 'it''s "sales"; really';

CREATE TABLE "user" (
    "ID" bigint PRIMARY KEY,
    "Name" text NOT NULL
);

CREATE TABLE "Sales Dept; DROP SCHEMA public"."Order Lines" (
    "Id" integer PRIMARY KEY,
    "from" date NOT NULL,
    "user" text DEFAULT 'it''s; DROP TABLE x; --'::text,
    "Mixed Case" boolean NOT NULL DEFAULT false,
    "größe Ω" integer DEFAULT 42
);
COMMENT ON COLUMN "Sales Dept; DROP SCHEMA public"."Order Lines"."größe Ω" IS 'size; "quoted"';

CREATE TABLE "Sales Dept; DROP SCHEMA public"."it's ""quoted""" (
    "line" integer REFERENCES "Sales Dept; DROP SCHEMA public"."Order Lines" ("Id"),
    "User ID" bigint REFERENCES "user" ("ID"),
    "where" text COLLATE "C"
);
