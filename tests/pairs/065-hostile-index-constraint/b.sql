CREATE TABLE "Accounts" (
    "Id" integer CONSTRAINT "PK; Accounts" PRIMARY KEY,
    "E-mail" text NOT NULL,
    "balance Ω" numeric,
    CONSTRAINT "chk; DROP TABLE x; --" CHECK ("balance Ω" >= 0 AND "balance Ω" < 1e9),
    CONSTRAINT "from" UNIQUE ("E-mail", "balance Ω")
);
CREATE INDEX "Ünïcode idx" ON "Accounts" ("balance Ω" DESC NULLS FIRST);
CREATE INDEX "Index; ""q"" Ω" ON "Accounts" ("E-mail") WHERE "balance Ω" > 0;

CREATE TABLE "Transfers" (
    "from" integer NOT NULL,
    "to" integer NOT NULL,
    CONSTRAINT "fk: from → to" FOREIGN KEY ("from") REFERENCES "Accounts" ("Id"),
    CONSTRAINT "FK ""to""; --" FOREIGN KEY ("to") REFERENCES "Accounts" ("Id") ON DELETE CASCADE,
    CONSTRAINT "Check Ω" CHECK ("from" <> "to")
);
