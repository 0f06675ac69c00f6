CREATE SCHEMA "Ω";
CREATE TYPE "Ω"."Mood ""Enum""" AS ENUM ('it''s', 'Ω omega; DROP TYPE x', 'a;b', 'Ünïcode', '"q"', 'select', ' leading and trailing ', 'an_enum_label_that_is_exactly_sixty_three_bytes_long_abcdefghij');

CREATE TYPE "Ω"."user" AS ENUM ('Mixed Case', 'from', '');

CREATE TABLE "Ω"."from" (
    "Id" integer PRIMARY KEY,
    "mood" "Ω"."Mood ""Enum""" DEFAULT 'a;b',
    "User" "Ω"."user" DEFAULT 'Mixed Case'
);
