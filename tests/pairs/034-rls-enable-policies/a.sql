CREATE TABLE documents (
    id bigint PRIMARY KEY,
    owner text NOT NULL,
    org_id bigint,
    body text
);
