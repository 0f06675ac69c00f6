CREATE TABLE parents (
    id bigint PRIMARY KEY
);

CREATE TABLE children (
    id bigint PRIMARY KEY,
    parent_id bigint REFERENCES parents (id) ON DELETE SET NULL,
    guardian_id bigint REFERENCES parents (id) ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
    backup_id bigint,
    sponsor_id bigint,
    CONSTRAINT children_sponsor_fk FOREIGN KEY (sponsor_id) REFERENCES parents (id)
        ON DELETE RESTRICT DEFERRABLE INITIALLY IMMEDIATE
);
