CREATE TABLE parents (
    id bigint PRIMARY KEY
);

CREATE TABLE children (
    id bigint PRIMARY KEY,
    parent_id bigint REFERENCES parents (id) ON DELETE CASCADE,
    guardian_id bigint REFERENCES parents (id),
    backup_id bigint,
    sponsor_id bigint,
    CONSTRAINT children_backup_fk FOREIGN KEY (backup_id) REFERENCES parents (id),
    CONSTRAINT children_sponsor_fk FOREIGN KEY (sponsor_id) REFERENCES parents (id)
        DEFERRABLE INITIALLY DEFERRED
);
