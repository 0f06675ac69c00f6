CREATE TABLE notes (
    id bigint PRIMARY KEY,
    body text NOT NULL
);

CREATE SCHEMA billing;
COMMENT ON SCHEMA billing IS 'invoices and payments';

CREATE SCHEMA scratch;

CREATE TABLE billing.invoices (
    id bigint PRIMARY KEY,
    note_id bigint REFERENCES public.notes (id),
    amount numeric(12,2) NOT NULL DEFAULT 0
);
