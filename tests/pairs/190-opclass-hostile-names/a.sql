CREATE SCHEMA "Ops ""Lab""; x";
CREATE TABLE "Ops ""Lab""; x"."Word List" ("Word" text NOT NULL);
