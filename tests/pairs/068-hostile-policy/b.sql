CREATE TABLE "Secret Docs" (
    "Owner" text NOT NULL,
    "select" boolean NOT NULL DEFAULT false
);
ALTER TABLE "Secret Docs" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "select" ON "Secret Docs" FOR SELECT
    USING ("select" OR "Owner" = current_user);
CREATE POLICY "Ω ""policy""; --" ON "Secret Docs" AS RESTRICTIVE FOR UPDATE TO PUBLIC
    USING ("Owner" <> '') WITH CHECK ("Owner" = current_user);
CREATE POLICY a_policy_name_that_is_exactly_sixty_three_bytes_long_abcdefghij ON "Secret Docs"
    FOR INSERT WITH CHECK (NOT "select");
COMMENT ON POLICY "select" ON "Secret Docs" IS 'who may read; "select"';
