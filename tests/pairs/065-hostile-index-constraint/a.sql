CREATE TABLE "Accounts" (
    "Id" integer CONSTRAINT "PK; Accounts" PRIMARY KEY,
    "E-mail" text NOT NULL,
    "balance Ω" numeric,
    CONSTRAINT "chk; DROP TABLE x; --" CHECK ("balance Ω" >= 0),
    CONSTRAINT "Uniq ""E-mail""" UNIQUE ("E-mail")
);
CREATE INDEX "Ünïcode idx" ON "Accounts" ("balance Ω");
CREATE INDEX "select" ON "Accounts" (lower("E-mail"));

CREATE TABLE "Transfers" (
    "from" integer NOT NULL,
    "to" integer NOT NULL
);
