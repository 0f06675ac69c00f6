CREATE TABLE "Secret Docs" (
    "Owner" text NOT NULL,
    "select" boolean NOT NULL DEFAULT false
);
ALTER TABLE "Secret Docs" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "select" ON "Secret Docs" FOR SELECT
    USING ("select");
CREATE POLICY "Owner's; policy" ON "Secret Docs"
    USING ("Owner" = current_user);
