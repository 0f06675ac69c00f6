CREATE TABLE documents (
    id bigint PRIMARY KEY,
    owner text NOT NULL,
    org_id bigint,
    body text
);
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents FORCE ROW LEVEL SECURITY;

CREATE POLICY documents_owner ON documents
    USING (owner = current_user);
CREATE POLICY documents_org_select ON documents FOR SELECT TO PUBLIC
    USING (org_id = current_setting('app.org_id')::bigint);
CREATE POLICY documents_insert ON documents FOR INSERT
    WITH CHECK (owner = current_user AND body IS NOT NULL);
CREATE POLICY documents_update ON documents FOR UPDATE
    USING (owner = current_user) WITH CHECK (org_id IS NOT NULL);
CREATE POLICY documents_no_orphans ON documents AS RESTRICTIVE FOR DELETE
    USING (org_id IS NOT NULL);
