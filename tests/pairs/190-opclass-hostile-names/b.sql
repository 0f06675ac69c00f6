CREATE SCHEMA "Ops ""Lab""; x";
CREATE TABLE "Ops ""Lab""; x"."Word List" ("Word" text NOT NULL);
CREATE FUNCTION "Ops ""Lab""; x"."Len Cmp"(text, text) RETURNS integer LANGUAGE sql IMMUTABLE STRICT
    AS 'SELECT btint4cmp(length($1), length($2))';
CREATE FUNCTION "Ops ""Lab""; x"."len_lt"(text, text) RETURNS boolean LANGUAGE sql IMMUTABLE STRICT
    AS 'SELECT length($1) < length($2)';
CREATE OPERATOR "Ops ""Lab""; x".<%% (FUNCTION = "Ops ""Lab""; x"."len_lt", LEFTARG = text, RIGHTARG = text);
CREATE OPERATOR FAMILY "Ops ""Lab""; x"."Fam;ily ""Len""" USING btree;
COMMENT ON OPERATOR FAMILY "Ops ""Lab""; x"."Fam;ily ""Len""" USING btree IS 'it''s; a family';
CREATE OPERATOR CLASS "Ops ""Lab""; x"."By Length" FOR TYPE text USING btree
    FAMILY "Ops ""Lab""; x"."Fam;ily ""Len""" AS
    OPERATOR 1 "Ops ""Lab""; x".<%% (text, text),
    FUNCTION 1 "Ops ""Lab""; x"."Len Cmp"(text, text);
COMMENT ON OPERATOR CLASS "Ops ""Lab""; x"."By Length" USING btree IS 'shortest first';
CREATE INDEX "Word By ""Length""" ON "Ops ""Lab""; x"."Word List" ("Word" "Ops ""Lab""; x"."By Length");
