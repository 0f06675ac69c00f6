CREATE TABLE users (
    id bigint PRIMARY KEY,
    email text NOT NULL,
    org_id bigint NOT NULL,
    handle text,
    sku text,
    tenant text,
    label text,
    CONSTRAINT users_email_key UNIQUE (email),
    CONSTRAINT users_org_handle_key UNIQUE (org_id, handle),
    CONSTRAINT users_sku_key UNIQUE NULLS NOT DISTINCT (sku),
    CONSTRAINT users_tenant_key UNIQUE (tenant) INCLUDE (label) DEFERRABLE
);
