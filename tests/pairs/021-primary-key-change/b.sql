CREATE TABLE memberships (
    org_id bigint NOT NULL,
    user_id bigint NOT NULL,
    role text NOT NULL,
    CONSTRAINT memberships_pkey PRIMARY KEY (org_id, user_id)
);

CREATE TABLE codes (
    code text NOT NULL,
    region text NOT NULL,
    label text,
    CONSTRAINT codes_pk PRIMARY KEY (region, code) INCLUDE (label)
);
