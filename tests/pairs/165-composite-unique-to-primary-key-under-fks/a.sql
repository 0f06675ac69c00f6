CREATE TABLE folder (
    id integer PRIMARY KEY,
    tenant integer NOT NULL,
    no integer NOT NULL,
    parent_no integer,
    CONSTRAINT folder_tenant_no_key UNIQUE (tenant, no),
    CONSTRAINT folder_parent_fkey FOREIGN KEY (tenant, parent_no)
        REFERENCES folder (tenant, no) ON DELETE CASCADE
);
CREATE TABLE document (
    id integer PRIMARY KEY,
    tenant integer NOT NULL,
    folder_no integer NOT NULL,
    CONSTRAINT document_folder_fkey FOREIGN KEY (tenant, folder_no)
        REFERENCES folder (tenant, no) ON UPDATE CASCADE
);
